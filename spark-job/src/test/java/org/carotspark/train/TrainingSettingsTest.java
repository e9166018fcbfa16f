package org.carotspark.train;

import org.carotspark.config.UserFacingException;
import org.carotspark.loss.CarotLoss;
import org.carotspark.testing.TinyTrainingFixture;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingSettingsTest {

    /** The defaults follow the CaRot reference code: decay everything, no logit-scale clamp, its λ. */
    @Test
    void defaultsAreTheReferenceCodes() {
        TrainingSettings s = TinyTrainingFixture.trainingSettings();
        assertEquals(TrainingSettings.DecayScope.ALL, s.decayScope());
        assertFalse(s.clampLogitScale());
        assertEquals(1e-5, s.learningRate());
        assertEquals(0.1, s.weightDecay());
        assertEquals(500, s.warmupSteps());
        assertEquals(new CarotLoss(0.2, 1.5, 0.05), CarotLoss.fromConfig(ConfigFactory.load()));
        assertEquals(TrainingSettings.Mode.PARAMETER_AVERAGING, s.mode(), "the design card's default");
        assertEquals(TrainingSettings.DecayScope.MATRICES,
                TinyTrainingFixture.trainingSettings("weight-decay-params", "matrices").decayScope());
    }

    @Test
    void badValuesAreOneLineErrorsNamingTheKey() {
        assertMessage("weight-decay-params", "weight-decay-params", "some");
        assertMessage("carot.train.workers must be >= 0", "workers", -2);
        assertMessage("carot.train.warmup-steps must be >= 0", "warmup-steps", -5);
        assertMessage("carot.train.max-steps", "max-steps", -1);
        assertMessage("carot.train.mode must be \"parameter-averaging\", \"exact\" or \"collective\", got"
                + " \"allreduce\"", "mode", "allreduce");
        assertMessage("carot.train.collective.max-segment-steps must be >= 1", "collective.max-segment-steps", 0);
        assertMessage("carot.train.collective.timeout must be at least 1s", "collective.timeout", "0s");
        assertThrows(UserFacingException.class, () -> new CarotLoss(-0.1, 1.5, 0));
    }

    /** Exact mode's loss sees the whole global batch, so small per-worker shards are fine there. */
    @Test
    void theNegativesFloorOnlyBindsParameterAveraging() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> TinyTrainingFixture.trainingSettings(
                "global-batch-size", 8, "workers", 4, "min-pairs-per-worker", 4));
        assertTrue(e.getMessage().contains("in-batch negatives"), e.getMessage());
        assertEquals(2, TinyTrainingFixture.trainingSettings("global-batch-size", 8, "workers", 4,
                "min-pairs-per-worker", 4, "mode", "exact").perWorkerBatch());
        assertEquals(2, TinyTrainingFixture.trainingSettings("global-batch-size", 8, "workers", 4,
                "min-pairs-per-worker", 4, "mode", "collective").perWorkerBatch());
    }

    /** Spark refuses barrier stages under dynamic allocation; collective mode says so before any work. */
    @Test
    void collectiveModeRefusesDynamicAllocationAtStartUp() {
        SparkConf dynamic = new SparkConf(false).set("spark.dynamicAllocation.enabled", "true");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TinyTrainingFixture.trainingSettings("mode", "collective").requireRunnableOn(dynamic));
        assertTrue(e.getMessage().startsWith("carot.train.mode = collective runs Spark barrier stages")
                && e.getMessage().contains("spark.dynamicAllocation.enabled=false") && !e.getMessage().contains("\n"),
                e.getMessage());
        TinyTrainingFixture.trainingSettings("mode", "exact").requireRunnableOn(dynamic);
        TinyTrainingFixture.trainingSettings("mode", "collective").requireRunnableOn(new SparkConf(false));
    }

    private static void assertMessage(String expected, String key, Object value) {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TinyTrainingFixture.trainingSettings(key, value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
