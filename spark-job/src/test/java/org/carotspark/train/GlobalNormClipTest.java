package org.carotspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.train.update.GlobalNormClip;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.train.averaging.WorkerRound;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.EpochShuffle;
import org.carotspark.train.minibatch.ClassifierMinibatches;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Global-norm clipping as torch's clip_grad_norm_, and its effect on every parameter of a step: AdamW's first update
 * is ≈ lr·sign(g) at any gradient scale, so the probe is the first moment after one step from a zero state,
 * m = (1 − β1)·g·min(1, c/‖g‖), parameter by parameter.
 */
class GlobalNormClipTest {

    private static final int CLASSES = 3;
    private static final int BATCH = 6;

    @Test
    void knownAnswers() {
        INDArray g = Nd4j.createFromArray(3f, 4f);
        assertEquals(5.0, GlobalNormClip.clipInPlace(g, 1.0), 1e-6);
        assertArrayEquals(new float[] {(float) (3 / (5 + 1e-6)), (float) (4 / (5 + 1e-6))}, g.toFloatVector(), 1e-7f);
        INDArray small = Nd4j.createFromArray(3f, 4f);
        GlobalNormClip.clipInPlace(small, 10.0);
        assertArrayEquals(new float[] {3f, 4f}, small.toFloatVector(), "under the norm: untouched");
        // a summed gradient whose step divides it by 2: its norm is ‖[6, 8]‖ / 2 = 5
        float[] summed = {6f, 8f};
        assertEquals(5.0, GlobalNormClip.clipInPlace(summed, 1.0, 2.0), 1e-6);
        assertArrayEquals(new float[] {(float) (6 / (5 + 1e-6)), (float) (8 / (5 + 1e-6))}, summed, 1e-6f);
    }

    @Test
    void aClippedStepScalesTheFirstMomentOfEveryParameterByOneFactor() {
        Map<String, INDArray> plain = firstMomentsAfterOneStep(0);
        double norm = Math.sqrt(plain.values().stream().mapToDouble(m -> {
            double n = m.norm2Number().doubleValue();
            return n * n;
        }).sum()) / (1 - 0.9);
        double clip = 0.3 * norm;
        Map<String, INDArray> clipped = firstMomentsAfterOneStep(clip);
        double factor = clip / (norm + GlobalNormClip.EPSILON);
        assertTrue(plain.size() > 10 && plain.containsKey("classifier_b"), "every parameter: " + plain.keySet());
        for (String p : plain.keySet()) {
            INDArray expected = plain.get(p).mul(factor);
            double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
            double error = clipped.get(p).sub(expected).amaxNumber().doubleValue() / scale;
            assertTrue(plain.get(p).amaxNumber().doubleValue() > 0, p + " has a gradient");
            assertTrue(error < 1e-3, p + ": first moment off the clipped one by " + error + " (relative)");
        }
        Map<String, INDArray> loose = firstMomentsAfterOneStep(10 * norm);
        plain.forEach((p, m) -> assertEquals(m, loose.get(p), p + ": a norm under the limit is not touched"));
    }

    /** One parameter-averaging round of one worker and one step from a zero AdamW state; first moment per parameter. */
    private static Map<String, INDArray> firstMomentsAfterOneStep(double clip) {
        ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());
        TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", 1e-3, "warmup-steps", 0,
                "weight-decay", 0.1, "gradient-clip-norm", clip);
        long n = TrainingGraphFactory.classifierParameterCount(model, CLASSES, true);
        Random r = new Random(4);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.3 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, CLASSES, true, settings, 10, false,
                Nd4j.createFromArray(start).reshape(1, n));
        List<TrainExample> examples = TinyTrainingFixture.examples(BATCH, 5);
        EpochPlan plan = new EpochPlan(0, 0, 1, 1, BATCH, 1);
        JavaRDD<TrainExample> rdd = LocalSpark.jsc().parallelize(examples, 2);
        EpochBatches batches = EpochBatches.of(rdd, plan,
                LocalSpark.jsc().broadcast(EpochShuffle.of(rdd.map(TrainExample::id), 1, 0)));
        WorkerResult result = PairwiseSum.of(batches.round(0).mapPartitions(new WorkerRound(
                LocalSpark.jsc().broadcast(new WorkerRound.Start(ModelSnapshot.of(g, "student"),
                        g.getUpdater().getStateViewArray().toFloatVector(), 0, 0)), null,
                new ClassifierMinibatches(TinyTrainingFixture.trainImages(), CLASSES), plan, false,
                settings.gradientClipNorm())), 1);
        batches.release();
        return firstMoments(g, Nd4j.createFromArray(result.updaterState));
    }

    /** AdamW's first moment per parameter ("layer_param") from an updater state laid out as {@code g}'s. */
    static Map<String, INDArray> firstMoments(ComputationGraph g, INDArray state) {
        Map<String, INDArray> out = new TreeMap<>();
        for (UpdaterBlock block : g.getUpdater().getUpdaterBlocks()) {
            if (!(block.getGradientUpdater() instanceof AdamUpdater)) {
                continue;
            }
            int blockParams = block.getParamOffsetEnd() - block.getParamOffsetStart();
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                long from = block.getUpdaterViewOffsetStart() + p.getParamOffsetStart() - block.getParamOffsetStart();
                long to = from + p.getParamOffsetEnd() - p.getParamOffsetStart();
                assertTrue(to <= block.getUpdaterViewOffsetStart() + blockParams, "M is the first half of the block");
                out.put(p.getLayer().getConfig().getLayerName() + "_" + p.getParamName(),
                        state.get(NDArrayIndex.interval(from, to)).dup());
            }
        }
        return out;
    }
}
