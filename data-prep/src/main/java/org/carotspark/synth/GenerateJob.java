package org.carotspark.synth;

import com.typesafe.config.Config;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.MainRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/carot generate}: writes the synthetic mini-ImageNet to {@code carot.generate.output-root}.
 * Usage: {@code GenerateJob [--config FILE | FILE.conf] [-Dcarot.generate.seed=7 ...]}.
 */
public final class GenerateJob {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);

    private GenerateJob() {
    }

    public static void main(String[] args) {
        MainRunner.run("generate", () -> run(CarotConfigLoader.load(args)));
    }

    public static MiniImageNetGenerator.Summary run(Config config) throws Exception {
        LOG.debug("config:\n{}", ConfigRedaction.render(config));
        return new MiniImageNetGenerator(GeneratorSettings.fromConfig(config)).generate();
    }
}
