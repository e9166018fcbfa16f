package org.carotspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.model.TinyClip;
import org.carotspark.testing.GraphParameters;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.averaging.WorkerRound;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.EpochShuffle;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.MinibatchBuilder;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up + cosine learning rate reaches every parameter of every layer and vertex (DL4J's
 * {@code setLearningRate} reached only its own layers, ~1 % of CLIP's parameters). Probe: the first AdamW
 * step from a zero state at iteration t moves each parameter's largest-gradient entry by lr(t)·a(t), where
 * a(t) = (1−β1)·√(1−β2^(t+1)) / ((1−β1^(t+1))·√(1−β2)) is Adam's bias correction — whatever the gradient's
 * size, so a parameter that does not see the schedule shows.
 */
class LearningRateScheduleTest {

    private static final double BASE_LR = 1e-3;
    private static final long WARMUP = 10;
    private static final long TOTAL = 100;
    private static final int BATCH = 6;

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    private final TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", BASE_LR,
            "warmup-steps", WARMUP, "weight-decay", 0.0);
    private final MinibatchBuilder builder = new MinibatchBuilder(tokenizer,
            new CaptionSampler(TinyTrainingFixture.CLASSES, TinyTrainingFixture.TEMPLATES, 1),
                TinyTrainingFixture.trainImages());
    private final List<TrainExample> examples = TinyTrainingFixture.examples(BATCH, 5);
    private final MultiDataSet batch = new MultiDataSet(builder.inputs(examples, 0),
            new INDArray[] {TinyClip.softTargets(BATCH, 4, DataType.FLOAT)});

    private ComputationGraph graph() {
        return TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05), settings, TOTAL);
    }

    @Test
    void everyParameterTakesTheScheduledStepAtSeveralIterations() {
        for (int t : new int[] {0, 5, 60}) {
            assertScheduled(graph(), t, g -> g.fit(batch), "single JVM");
        }
    }

    @Test
    void theScheduleSurvivesTheJsonRoundTripWorkersBuildFrom() {
        ComputationGraph built = graph();
        ComputationGraph fromJson = new ComputationGraph(
                ComputationGraphConfiguration.fromJson(built.getConfiguration().toJson()));
        fromJson.init(built.params().dup(), false);
        assertScheduled(fromJson, 60, g -> g.fit(batch), "after JSON round trip");
        assertScheduled(built.clone(), 7, g -> g.fit(batch), "after clone()");
    }

    /** The trainer's own Spark round: one worker, one step, from the driver's state at the given step. */
    @Test
    void oneSparkParameterAveragingRoundTakesTheScheduledStep() {
        int t = 60;
        assertScheduled(graph(), t, g -> {
            EpochPlan plan = new EpochPlan(0, t, 1, 1, BATCH, 1);
            JavaRDD<TrainExample> rdd = LocalSpark.jsc().parallelize(examples, 2);
            EpochBatches batches = EpochBatches.of(rdd, plan,
                    LocalSpark.jsc().broadcast(EpochShuffle.of(rdd.map(TrainExample::id), 1, 0)));
            WorkerResult r = PairwiseSum.of(batches.round(0)
                    .mapPartitions(new WorkerRound(LocalSpark.jsc().broadcast(new WorkerRound.Start(
                            ModelSnapshot.of(g, "student"), g.getUpdater().getStateViewArray().toFloatVector(), t, 0)),
                            null, builder, plan, false)), 1);
            batches.release();
            assertEquals(1, r.workers);
            g.params().assign(Nd4j.create(r.params).reshape(g.params().shape()));
        }, "through a Spark round");
    }

    private void assertScheduled(ComputationGraph g, int iteration, Consumer<ComputationGraph> step, String how) {
        g.getConfiguration().setIterationCount(iteration);
        Map<String, INDArray> before = GraphParameters.of(g);
        step.accept(g);
        Map<String, INDArray> after = GraphParameters.of(g);
        double expected = settings.schedule(TOTAL).at(iteration) * adamBiasCorrection(iteration);
        assertTrue(before.size() > 30, "parameters of every layer and vertex: " + before.keySet());
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            double moved = after.get(e.getKey()).sub(e.getValue()).amaxNumber().doubleValue();
            assertEquals(expected, moved, 2e-3 * expected,
                    how + ", iteration " + iteration + ": " + e.getKey() + " moved " + moved + ", expected " + expected);
        }
        assertFalse(Double.isNaN(g.score()));
    }

    private double adamBiasCorrection(int t) {
        double b1 = settings.adamBeta1();
        double b2 = settings.adamBeta2();
        return (1 - b1) * Math.sqrt(1 - Math.pow(b2, t + 1)) / ((1 - Math.pow(b1, t + 1)) * Math.sqrt(1 - b2));
    }

}
