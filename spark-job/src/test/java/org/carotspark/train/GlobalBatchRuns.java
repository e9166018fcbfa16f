package org.carotspark.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.minibatch.CaptionSampler;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;

/**
 * The runs that global-batch modes are compared on: CaRot on the tiny CLIP, 2 epochs of 4 steps of 8 pairs
 * (warm-up, cosine decay, weight decay, every loss term, an EMA teacher that moves every step), trained in any mode
 * and compared with the single-JVM steps of the whole batch.
 */
final class GlobalBatchRuns {

    static final SimpleWordTokenizer TOKENIZER = TinyTrainingFixture.tokenizer();
    static final ClipModelConfig MODEL = TinyTrainingFixture.model(TOKENIZER);
    /** The teacher moves after every step, so its targets over the whole batch matter from step 1 on. */
    static final EmaSettings EMA = new EmaSettings(1, 0.05, 0.9, 0.2);
    /** The random tensors of one tiny CLIP (see DistributedTrainerResumeTest). */
    static final long PARAMETER_TENSORS = 15;

    static Dataset<Row> trainSplit() throws Exception {
        return TinyTrainingFixture.trainSplit(35, 5);
    }

    /** 2 epochs of 4 steps of 8 pairs: warm-up, cosine decay, weight decay, CaRot's every term. */
    static TrainingSettings settings(String mode, int workers, Object... more) {
        List<Object> keyValues = new ArrayList<>(List.of("mode", mode, "workers", workers,
                "averaging-frequency", 1, "learning-rate", 1e-3, "weight-decay", 0.1, "warmup-steps", 2,
                "global-batch-size", 8, "epochs", 2, "shuffle-seed", 7, "caption-seed", 11,
                "checkpoint-every-epochs", 0, "checkpoint-every-steps", 0));
        keyValues.addAll(List.of(more));
        return TinyTrainingFixture.trainingSettings(keyValues.toArray());
    }

    record Run(TrainingOutcome outcome, float[] initial) {
        float[] delta() {
            return delta(ModelSnapshot.flatParams(outcome.student()));
        }

        float[] teacherDelta() {
            return delta(outcome.teacherParams());
        }

        private float[] delta(float[] p) {
            float[] d = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                d[i] = p[i] - initial[i];
            }
            return d;
        }
    }

    static Run train(JavaSparkContext jsc, TrainingSettings s) throws Exception {
        return train(jsc, s, EMA);
    }

    static Run train(JavaSparkContext jsc, TrainingSettings s, EmaSettings ema) throws Exception {
        ComputationGraph g = TrainingGraphFactory.build(MODEL, new CarotLoss(0.2, 1.5, 0.05), s, 12);
        float[] initial = ModelSnapshot.flatParams(g);
        DistributedTrainer trainer = new DistributedTrainer(jsc, s, ema, TOKENIZER,
                new CaptionSampler(CLASSES, TEMPLATES, 5), TinyTrainingFixture.trainImages(), CheckpointStore.disabled());
        return new Run(trainer.train(Method.CAROT, g, trainSplit()), initial);
    }

    /**
     * The attention key biases of both towers. q·(k_j + b) adds q·b to all of a query's logits, which softmax
     * ignores: their true gradient is zero, and Adam turns the float noise left in it (of either sign, different
     * for any other summation order) into steps of about the learning rate. No other parameter is excluded.
     */
    static boolean[] keyBiasEntries(ComputationGraph g) {
        boolean[] mask = new boolean[(int) g.params().length()];
        long base = g.params().offset();
        for (var e : g.paramTable().entrySet()) {
            if (e.getKey().endsWith("qkvb")) {
                long width = e.getValue().length() / 3;
                long from = e.getValue().offset() - base + width;
                for (long i = from; i < from + width; i++) {
                    mask[(int) i] = true;
                }
            }
        }
        return mask;
    }

    static float[] withoutKeyBiases(float[] values, boolean[] keyBias) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (keyBias[i]) {
                out[i] = 0;
            }
        }
        return out;
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeDistance(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }
}
