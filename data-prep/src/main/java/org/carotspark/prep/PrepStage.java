package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.NamedStage;

/** {@link DataPreparation} as the stage {@code prep} ({@code bin/carot prep}, {@code spark-submit --class PrepareDataJob}). */
public final class PrepStage extends NamedStage {

    public PrepStage() {
        super("prep");
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        new DataPreparation().run(spark, config);
    }
}
