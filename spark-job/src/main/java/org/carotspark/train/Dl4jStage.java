package org.carotspark.train;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.NamedStage;

/** A stage that runs DL4J on Spark: started in {@link SparkJobs#start}'s session. */
public abstract class Dl4jStage extends NamedStage {

    protected Dl4jStage(String name) {
        super(name);
    }

    @Override
    public SparkSession startSession(Config config) {
        return SparkJobs.start(config, name());
    }
}
