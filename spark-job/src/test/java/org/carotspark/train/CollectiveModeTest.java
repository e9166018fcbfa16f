package org.carotspark.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.carotspark.ema.EmaSettings;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.train.minibatch.ClassifierMinibatches;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.carotspark.testing.LocalSpark;
import org.carotspark.train.GlobalBatchRuns.Run;
import org.carotspark.train.collective.CollectiveSegmentException;
import org.carotspark.train.collective.CollectiveSteps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.train.GlobalBatchRuns.keyBiasEntries;
import static org.carotspark.train.GlobalBatchRuns.maxAbsDifference;
import static org.carotspark.train.GlobalBatchRuns.relativeDistance;
import static org.carotspark.train.GlobalBatchRuns.settings;
import static org.carotspark.train.GlobalBatchRuns.train;
import static org.carotspark.train.GlobalBatchRuns.withoutKeyBiases;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collective mode is the single-JVM training of the whole global batch on barrier stages: the same parameters,
 * EMA teacher and loss on 2 and 4 workers up to float rounding, every rank's θ bit-identical after every segment,
 * a segment that fails (a rank throws) re-run by Spark to the uninterrupted run's exact values, and a peer that
 * never joins failing the run with one line that names the segment.
 */
class CollectiveModeTest {

    private static final String FAIL_AT = "carot.test.collective-fail-at-step";
    private static final String STALL = "carot.test.collective-stall-before-join";
    private static final String STALL_SECONDS = "carot.test.collective-stall-seconds";
    /** The teacher moves every 3 steps: segments of 3, 1, 2 and 2 steps over the 2 epochs of 4 steps. */
    private static final EmaSettings EMA_EVERY_3 = new EmaSettings(3, 0.05, 0.9, 0.2);

    private static JavaSparkContext jsc;

    @BeforeAll
    static void fourSlotsWithRetries() {
        // A barrier stage needs a slot per worker; local[N, F] retries failed tasks (plain local[N] never does).
        jsc = JavaSparkContext.fromSparkContext(LocalSpark.restart("local[4,4]").sparkContext());
    }

    @AfterAll
    static void backToTheDefaultSession() {
        LocalSpark.stop();
    }

    @AfterEach
    void noInjectedFaults() {
        System.clearProperty(FAIL_AT);
        System.clearProperty(STALL);
        System.clearProperty(STALL_SECONDS);
    }

    @Test
    void collectiveStepsOnTwoAndFourWorkersAreTheSingleJvmStepsOfTheWholeBatch() throws Exception {
        Run single = train(jsc, settings("parameter-averaging", 1));
        long verified = CollectiveSteps.segmentsVerified();
        Run collective2 = train(jsc, settings("collective", 2));
        Run collective4 = train(jsc, settings("collective", 4));
        // The teacher moves every step, so every step is a segment: 8 per run, each checked on every rank.
        assertEquals(16, CollectiveSteps.segmentsVerified() - verified, "θ hashed equal on all ranks per segment");
        assertEquals(8, collective4.outcome().steps());

        boolean[] keyBias = keyBiasEntries(single.outcome().student());
        float[] reference = withoutKeyBiases(single.delta(), keyBias);
        for (Run run : List.of(collective2, collective4)) {
            float[] delta = withoutKeyBiases(run.delta(), keyBias);
            assertTrue(maxAbsDifference(delta, reference) < 1e-5, "differs by up to "
                    + maxAbsDifference(delta, reference));
            assertTrue(relativeDistance(delta, reference) < 1e-5, "relative " + relativeDistance(delta, reference));
            assertTrue(relativeDistance(withoutKeyBiases(run.teacherDelta(), keyBias),
                    withoutKeyBiases(single.teacherDelta(), keyBias)) < 1e-5, "the EMA teacher follows the same student");
            for (String term : List.of("loss", "contrastive", "distillation", "orthogonality", "cross")) {
                double expected = single.outcome().lastRoundTerms().mean(term);
                assertEquals(expected, run.outcome().lastRoundTerms().mean(term), 1e-5 * Math.max(1, Math.abs(expected)),
                        term);
            }
        }
    }

    @Test
    void segmentsOfSeveralStepsAreTheSingleJvmStepsToo() throws Exception {
        Run single = train(jsc, settings("parameter-averaging", 1), EMA_EVERY_3);
        long verified = CollectiveSteps.segmentsVerified();
        Run collective = train(jsc, settings("collective", 2), EMA_EVERY_3);
        assertEquals(4, CollectiveSteps.segmentsVerified() - verified, "segments end at EMA updates and epoch ends");
        boolean[] keyBias = keyBiasEntries(single.outcome().student());
        double distance = relativeDistance(withoutKeyBiases(collective.delta(), keyBias),
                withoutKeyBiases(single.delta(), keyBias));
        assertTrue(distance < 1e-5, "relative " + distance);
        assertEquals(single.outcome().teacherUpdates(), collective.outcome().teacherUpdates());
    }

    @Test
    void aRankThatFailsMidSegmentMakesSparkRerunTheSegmentToTheSameValues() throws Exception {
        Run uninterrupted = train(jsc, settings("collective", 2), EMA_EVERY_3);
        System.setProperty(FAIL_AT, "1:5"); // rank 1, inside the segment of steps 5-6
        Run recovered = train(jsc, settings("collective", 2), EMA_EVERY_3);
        assertFalse(System.getProperty(FAIL_AT).isEmpty());
        assertArrayEquals(ModelSnapshot.flatParams(uninterrupted.outcome().student()),
                ModelSnapshot.flatParams(recovered.outcome().student()), "bit for bit");
        assertArrayEquals(uninterrupted.outcome().teacherParams(), recovered.outcome().teacherParams());
    }

    @Test
    void aPeerThatNeverJoinsFailsTheRunWithOneLineNamingTheSegment() {
        System.setProperty(STALL, "1");
        System.setProperty(STALL_SECONDS, "4");
        long start = System.nanoTime();
        CollectiveSegmentException e = assertThrows(CollectiveSegmentException.class,
                () -> train(jsc, settings("collective", 2, "collective.timeout", "2s")));
        assertTrue(e.getMessage().startsWith("collective segment of steps 1-1 (epoch 1) failed: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 120, "the stalled segment gave up in time");
    }

    /**
     * The classifier baselines are plain data parallelism in collective mode, with FT's gradient clip applied to the
     * all-reduced gradient: the same parameters as one worker clipping its whole batch, and not those of no clip.
     */
    @Test
    void classifierTrainingIsDataParallelWithTheClipOnTheReducedGradient() throws Exception {
        float[] single = classifierAfterTraining("parameter-averaging", 1, 0.05);
        float[] collective = classifierAfterTraining("collective", 2, 0.05);
        float[] unclipped = classifierAfterTraining("collective", 2, 0);
        double distance = relativeDistance(collective, single);
        assertTrue(distance < 1e-5, "relative " + distance);
        assertTrue(relativeDistance(unclipped, single) > 100 * distance, "the clip binds and is applied");
    }

    private static float[] classifierAfterTraining(String mode, int workers, double clip) throws Exception {
        TrainingSettings s = settings(mode, workers, "gradient-clip-norm", clip, "weight-decay", 0.1);
        ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());
        long n = TrainingGraphFactory.classifierParameterCount(model, CLASSES.size(), true);
        Random r = new Random(4);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.3 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, CLASSES.size(), true, s, 8, false,
                Nd4j.createFromArray(start).reshape(1, n));
        DistributedTrainer trainer = new DistributedTrainer(jsc, s, EMA_EVERY_3,
                new ClassifierMinibatches(TinyTrainingFixture.trainImages(), CLASSES.size()), CheckpointStore.disabled());
        return ModelSnapshot.flatParams(trainer.train("ft", g, GlobalBatchRuns.trainSplit()).student());
    }
}
