package org.carotspark.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.model.ParamInit;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact mode is the single-JVM training of the whole global batch, distributed: the same parameters, EMA teacher
 * and loss after every step, whatever the number of workers, up to float rounding; parameter averaging of the
 * same batch over the same workers is not.
 */
class ExactModeTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    /** The teacher moves after every step, so its targets over the whole batch matter from step 1 on. */
    private final EmaSettings ema = new EmaSettings(1, 0.05, 0.9, 0.2);
    /** The random tensors of one tiny CLIP (see CarotTrainerResumeTest). */
    private static final long PARAMETER_TENSORS = 15;

    private static Dataset<Row> trainSplit() throws Exception {
        return TinyTrainingFixture.trainSplit(35, 5);
    }

    /** 2 epochs of 4 steps of 8 pairs: warm-up, cosine decay, weight decay, CaRot's every term. */
    private static TrainingSettings settings(String mode, int workers) {
        return TinyTrainingFixture.trainingSettings("mode", mode, "workers", workers, "averaging-frequency", 1,
                "learning-rate", 1e-3, "weight-decay", 0.1, "warmup-steps", 2, "global-batch-size", 8, "epochs", 2,
                "shuffle-seed", 7, "caption-seed", 11, "checkpoint-every-epochs", 0, "checkpoint-every-steps", 0);
    }

    private record Run(TrainingOutcome outcome, float[] initial) {
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

    private Run train(TrainingSettings s) throws Exception {
        ComputationGraph g = TrainingGraphFactory.build(model, new CarotObjective(0.2, 1.5, 0.05), s, 12);
        float[] initial = ModelSnapshot.flatParams(g);
        CarotTrainer trainer = new CarotTrainer(LocalSpark.jsc(), s, ema, tokenizer,
                new CaptionSampler(CLASSES, TEMPLATES, 5), TinyTrainingFixture.trainImages(), CheckpointStore.disabled());
        return new Run(trainer.train(Method.CAROT, g, trainSplit()), initial);
    }

    /**
     * The attention key biases of both towers. q·(k_j + b) adds q·b to all of a query's logits, which softmax
     * ignores: their true gradient is zero, and Adam turns the float noise left in it (of either sign, different
     * for any other summation order) into steps of about the learning rate. No other parameter is excluded.
     */
    private static boolean[] keyBiasEntries(ComputationGraph g) {
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

    private static float[] withoutKeyBiases(float[] values, boolean[] keyBias) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (keyBias[i]) {
                out[i] = 0;
            }
        }
        return out;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    /** ‖a − b‖ / ‖b‖. */
    private static double relativeDistance(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            norm += (double) b[i] * b[i];
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void exactStepsOnSeveralWorkersAreTheSingleJvmStepsOfTheWholeBatch() throws Exception {
        long drawsBefore = ParamInit.draws();
        Run single = train(settings("parameter-averaging", 1));
        Run exact2 = train(settings("exact", 2));
        Run exact4 = train(settings("exact", 4));
        Run averaged2 = train(settings("parameter-averaging", 2));
        assertEquals(8, exact2.outcome().steps());
        // Executors build their graphs (student, teacher, feature-gradient) around received parameters.
        assertEquals(4 * PARAMETER_TENSORS, ParamInit.draws() - drawsBefore);

        boolean[] keyBias = keyBiasEntries(single.outcome().student());
        float[] reference = withoutKeyBiases(single.delta(), keyBias);
        assertTrue(maxAbsDifference(withoutKeyBiases(exact2.delta(), keyBias), reference) < 1e-5,
                "exact mode on 2 workers differs from the single-JVM steps by up to "
                        + maxAbsDifference(withoutKeyBiases(exact2.delta(), keyBias), reference));
        double exactOnTwo = relativeDistance(withoutKeyBiases(exact2.delta(), keyBias), reference);
        double exactOnFour = relativeDistance(withoutKeyBiases(exact4.delta(), keyBias), reference);
        double averaging = relativeDistance(withoutKeyBiases(averaged2.delta(), keyBias), reference);
        assertTrue(exactOnTwo < 1e-4 && exactOnFour < 1e-4, "exact mode moved the parameters "
                + exactOnTwo + " / " + exactOnFour + " (relative) away from the single-JVM steps");
        assertTrue(averaging > 100 * Math.max(exactOnTwo, exactOnFour), "parameter averaging differs by " + averaging);
        assertTrue(relativeDistance(withoutKeyBiases(exact2.teacherDelta(), keyBias),
                        withoutKeyBiases(single.teacherDelta(), keyBias)) < 1e-4,
                "the EMA teacher follows the same student");

        double loss = single.outcome().lastRoundTerms().mean("loss");
        assertEquals(loss, exact2.outcome().lastRoundTerms().mean("loss"), 1e-5 * Math.abs(loss));
        assertEquals(loss, exact4.outcome().lastRoundTerms().mean("loss"), 1e-5 * Math.abs(loss));
        assertEquals(1, exact4.outcome().lastRoundTerms().minibatches(), "one loss over the whole batch per step");
        for (String term : List.of("contrastive", "distillation", "orthogonality", "cross")) {
            assertEquals(single.outcome().lastRoundTerms().mean(term), exact2.outcome().lastRoundTerms().mean(term),
                    1e-5 * Math.max(1, Math.abs(single.outcome().lastRoundTerms().mean(term))), term);
        }
    }
}
