package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.PipelineStage;

/** {@link PrepareDataJob} as the pipeline stage {@code prep}. */
public final class PrepStage implements PipelineStage {

    public static final String NAME = "prep";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        new PrepareDataJob().run(spark, config);
    }
}
