package org.carotspark.eval;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.ReferenceBatchEce;
import org.carotspark.metrics.ExpectedCalibrationError;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The reference code's per-batch ECE: hand-computed batches, and the distributed pass equal to one pass in order. */
class ReferenceBatchEceTest {

    @Test
    void handComputedBatchesDifferFromTheDatasetEce() {
        // batch 0: 0.7 right (bin 7: |1 − 0.7| = 0.3), 0.1 wrong (bin 1: 0.1) → n·ECE = 0.4
        // batch 1: 0.7 wrong (bin 7: 0.7), 0.1 wrong (bin 1: 0.1) → 0.8; (0.4 + 0.8) / 4 = 0.3
        double[] confidence = {0.7, 0.1, 0.7, 0.1};
        boolean[] correct = {true, false, false, false};
        assertEquals(0.3, ReferenceBatchEce.of(confidence, correct, 2), 1e-15);
        // one batch of all four: bin 7 |1 − 1.4| = 0.4, bin 1 |0 − 0.2| = 0.2 → 0.6 / 4, the dataset ECE
        assertEquals(0.15, ReferenceBatchEce.of(confidence, correct, 4), 1e-15);
        assertEquals(0.15, ExpectedCalibrationError.of(confidence, correct, ReferenceBatchEce.BINS), 1e-15);
    }

    /**
     * Batch size 3 over 7 predictions in 3 classes, given shuffled: the order is label, then source path, so batch 0
     * ends inside class 1 and batch 2 is a short one of 1.
     */
    @Test
    void batchBoundaryInsideAClassAndAShortLastBatch() {
        List<ReferenceEntry> entries = new ArrayList<>(List.of(
                entry(1, "b/3", 0.6, false), entry(2, "c/2", 0.6, false), entry(0, "a/2", 0.9, true),
                entry(1, "b/1", 0.9, false), entry(2, "c/1", 0.6, true), entry(0, "a/1", 0.9, true),
                entry(1, "b/2", 0.6, true)));
        // order a/1 a/2 b/1 | b/2 b/3 c/1 | c/2
        // batch 0: bin 9, 3 predictions, 2 right, Σ conf 2.7 → 0.7
        // batch 1: bin 6, 3 predictions, 2 right, Σ conf 1.8 → 0.2
        // batch 2: bin 6, 0.6 wrong → 0.6                     → (0.7 + 0.2 + 0.6) / 7
        double expected = 1.5 / 7;
        Map<String, double[]> distributed = DistributedReferenceEce.compute(
                LocalSpark.jsc().parallelize(entries, 3), 1, 3);
        assertEquals(expected, distributed.get(DistributedEvaluator.ALL)[0], 1e-15);
        // the dataset ECE of the same predictions: bin 9 |2 − 2.7|, bin 6 |2 − 2.4| → 1.1 / 7
        assertNotEquals(expected, 1.1 / 7, 1e-3);
        // file order (as given) is another order and another value: the order matters
        double[] conf = entries.stream().mapToDouble(e -> e.confidence(0)).toArray();
        boolean[] right = new boolean[entries.size()];
        for (int i = 0; i < right.length; i++) {
            right[i] = entries.get(i).correct(0);
        }
        assertNotEquals(expected, ReferenceBatchEce.of(conf, right, 3), 1e-3);
    }

    @Test
    void distributedEqualsOnePassInTheReferenceOrderPerGroupAndTemperature() {
        Random r = new Random(5);
        List<ScoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            float[] logits = new float[7];
            for (int j = 0; j < logits.length; j++) {
                logits[j] = (float) (2 * r.nextGaussian());
            }
            int label = r.nextInt(10) == 0 ? -1 : r.nextInt(7);
            examples.add(new ScoredExample(logits, label, i % 3 == 0 ? "fog/2" : "fog/5",
                    "s3a://b/x/" + Integer.toHexString(r.nextInt())));
        }
        double[] temperatures = {1.0, 1.7};
        MetricSettings settings = new MetricSettings(new int[] {15}, 15);
        int batch = 37;

        JavaRDD<ScoredExample> rdd = LocalSpark.jsc().parallelize(examples, 6);
        SplitStatistics distributed = DistributedEvaluator.statisticsWithReference(rdd, temperatures, settings, batch);

        for (String group : List.of("fog/2", "fog/5")) {
            List<ScoredExample> ordered = new ArrayList<>(examples.stream()
                    .filter(e -> e.group().equals(group) && e.label() >= 0).toList());
            Collections.shuffle(ordered, new Random(1));
            ordered.sort(Comparator.comparingInt(ScoredExample::label).thenComparing(ScoredExample::sourcePath));
            for (int t = 0; t < temperatures.length; t++) {
                ReferenceBatchEce single = new ReferenceBatchEce(batch);
                for (int i = 0; i < ordered.size(); i++) {
                    double[] p = PredictionStats.probabilities(ordered.get(i).logits(), temperatures[t]);
                    int top = PredictionStats.topLabel(p);
                    single.add(i, p[top], top == ordered.get(i).label());
                }
                assertEquals(single.value(), distributed.referenceEce().get(group)[t], 0.0, group + " T " + t);
            }
            // the statistics of the same pass are the ordinary ones
            PredictionStats plain = new PredictionStats(settings, true);
            examples.stream().filter(e -> e.group().equals(group)).forEach(e -> plain.addLogits(e.logits(), 1.0,
                    e.label()));
            assertEquals(plain.metrics(settings), distributed.groups().get(group)[0].metrics(settings));
        }
    }

    private static ReferenceEntry entry(int label, String path, double confidence, boolean correct) {
        return new ReferenceEntry(DistributedEvaluator.ALL, label, path, new double[] {confidence},
                new boolean[] {correct});
    }
}
