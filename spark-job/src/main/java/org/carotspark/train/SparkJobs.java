package org.carotspark.train;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.model.SameDiffStdoutFilter;
import org.carotspark.sparkutil.SparkSessionFactory;

/**
 * The session of every job that runs DL4J on Spark: the shared settings of {@link SparkSessionFactory},
 * with SameDiff's per-op stdout lines filtered on the driver (executors install the filter when they
 * define the first SameDiff piece).
 */
public final class SparkJobs {

    private SparkJobs() {
    }

    /** A session named {@code carot.spark.app-name + appName}. */
    public static SparkSession start(Config config, String appName) {
        SameDiffStdoutFilter.install();
        return SparkSessionFactory.create(config, appName);
    }
}
