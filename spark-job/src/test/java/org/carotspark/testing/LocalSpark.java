package org.carotspark.testing;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** One real local[2] SparkSession per test JVM (starting Spark costs seconds). */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = start("local[2]");
        }
        return session;
    }

    /**
     * Replaces this JVM's session with one on {@code master} (e.g. {@code local[4,4]}: four slots for a barrier
     * stage of four tasks, failed tasks retried); the next {@link #session()} after {@link #stop()} is local[2] again.
     */
    public static synchronized SparkSession restart(String master) {
        stop();
        session = start(master);
        return session;
    }

    public static synchronized void stop() {
        if (session != null) {
            session.stop();
            session = null;
        }
    }

    private static SparkSession start(String master) {
        return SparkSession.builder().master(master).appName("carot-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    public static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }
}
