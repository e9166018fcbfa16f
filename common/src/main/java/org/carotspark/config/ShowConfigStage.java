package org.carotspark.config;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.PipelineStage;
import org.carotspark.stage.StageLauncher;

/**
 * {@code bin/carot config [--config FILE] [-Dkey=value ...]}: prints the {@code carot} settings a job
 * would run with, secrets masked, so a profile can be checked before it is submitted to a cluster.
 */
public final class ShowConfigStage implements PipelineStage {

    public static final String NAME = "config";

    public static void main(String[] args) {
        StageLauncher.main(NAME, args);
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
    public void run(SparkSession unused, Config config) {
        System.out.println(ConfigRedaction.render(config));
    }
}
