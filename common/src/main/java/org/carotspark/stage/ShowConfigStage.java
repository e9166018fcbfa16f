package org.carotspark.stage;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.ConfigRedaction;

/**
 * {@code bin/carot config [--config FILE] [-Dkey=value ...]}: prints the {@code carot} settings a job
 * would run with, secrets masked, so a profile can be checked before it is submitted to a cluster.
 */
public final class ShowConfigStage extends NamedStage {

    public ShowConfigStage() {
        super("config");
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
