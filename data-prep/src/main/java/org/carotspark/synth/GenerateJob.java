package org.carotspark.synth;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.PipelineStage;
import org.carotspark.stage.StageLauncher;

/**
 * {@code bin/carot generate}: writes the synthetic mini-ImageNet to {@code carot.generate.output-root}.
 * Usage: {@code GenerateJob [--config FILE | FILE.conf] [-Dcarot.generate.seed=7 ...]}. Runs in the
 * driver JVM alone: the generator needs no Spark.
 */
public final class GenerateJob implements PipelineStage {

    public static final String NAME = "generate";

    public static void main(String[] args) {
        StageLauncher.main(NAME, args);
    }

    public static MiniImageNetGenerator.Summary run(Config config) throws Exception {
        return new MiniImageNetGenerator(GeneratorSettings.fromConfig(config)).generate();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean usesSpark() {
        return false;
    }

    @Override
    public void run(SparkSession unused, Config config) throws Exception {
        run(config);
    }
}
