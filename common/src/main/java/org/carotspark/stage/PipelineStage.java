package org.carotspark.stage;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.sparkutil.SparkSessionFactory;

/**
 * One stage of the pipeline (generate, prep, train, ...) that a launcher finds by name. Stages
 * register in {@code META-INF/services/org.carotspark.stage.PipelineStage}, so a launcher — the
 * demo, or {@code spark-submit --class PrepareDataJob} — can run a stage of a module it does not
 * compile against: the job module never depends on the prep module's code, only ships it.
 */
public interface PipelineStage {

    /** The stage's name as commands use it, e.g. {@code prep}. */
    String name();

    /**
     * Runs the stage in a session someone else started and will stop (the demo runs several
     * stages in one session). {@code spark} is null for a stage that does not {@link #usesSpark()}.
     */
    void run(SparkSession spark, Config config) throws Exception;

    /** False for stages that run in the driver JVM alone (the generator). */
    default boolean usesSpark() {
        return true;
    }

    /** The session this stage needs when it is launched on its own. */
    default SparkSession startSession(Config config) {
        return SparkSessionFactory.create(config, name());
    }
}
