package org.carotspark.train;

import com.typesafe.config.Config;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.carotspark.model.SameDiffStdoutFilter;
import org.carotspark.sparkutil.SparkSessionFactory;

/**
 * The session of every job that runs DL4J on Spark: the shared settings of
 * {@link SparkSessionFactory} plus what DL4J needs in every JVM. DL4J's training statistics (worker
 * fit vs. averaging time) default to an NTP time source, which fails without internet access and on
 * most cluster networks; the system clock is set on the driver here and appended to the executors'
 * JVM options before the SparkContext starts. SameDiff's per-op stdout lines are filtered on the driver.
 */
public final class SparkJobs {

    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    private SparkJobs() {
    }

    /** A session named {@code carot.spark.app-name + appName} with DL4J's settings applied. */
    public static SparkSession start(Config config, String appName) {
        SameDiffStdoutFilter.install();
        return SparkSession.builder().config(withDl4jSettings(SparkSessionFactory.sparkConf(config, appName)))
                .getOrCreate();
    }

    static SparkConf withDl4jSettings(SparkConf conf) {
        useSystemClockOnDriver();
        String option = "-D" + TIME_SOURCE_PROPERTY + "=" + SYSTEM_CLOCK;
        String existing = conf.get("spark.executor.extraJavaOptions", "");
        if (!existing.contains(TIME_SOURCE_PROPERTY)) {
            conf.set("spark.executor.extraJavaOptions", (existing + " " + option).trim());
        }
        return conf;
    }

    /** Enough on its own in local mode, where the executors share the driver's JVM. */
    public static void useSystemClockOnDriver() {
        if (System.getProperty(TIME_SOURCE_PROPERTY) == null) {
            System.setProperty(TIME_SOURCE_PROPERTY, SYSTEM_CLOCK);
        }
    }
}
