package org.carotspark.synth;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.NamedStage;

/**
 * The stage {@code generate} ({@code bin/carot generate [--config FILE] [-Dcarot.generate.seed=7 ...]}):
 * writes the synthetic mini-ImageNet to {@code carot.generate.output-root}. Runs in the driver JVM alone:
 * the generator needs no Spark.
 */
public final class GenerateStage extends NamedStage {

    public GenerateStage() {
        super("generate");
    }

    public static MiniImageNetGenerator.Summary run(Config config) throws Exception {
        return new MiniImageNetGenerator(GeneratorSettings.fromConfig(config)).generate();
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
