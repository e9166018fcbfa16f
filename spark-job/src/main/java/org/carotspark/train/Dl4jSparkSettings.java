package org.carotspark.train;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * DL4J-on-Spark settings every JVM of a training job needs. DL4J's training statistics (worker
 * fit vs. averaging time) default to an NTP time source, which fails without internet access
 * and on most cluster networks; the system clock is what we want. Set on the driver here and
 * appended to the executors' JVM options before the SparkContext starts.
 */
public final class Dl4jSparkSettings {

    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    private Dl4jSparkSettings() {
    }

    public static SparkConf apply(SparkConf conf) {
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

    public static SparkSession session(SparkConf conf) {
        return SparkSession.builder().config(apply(conf)).getOrCreate();
    }
}
