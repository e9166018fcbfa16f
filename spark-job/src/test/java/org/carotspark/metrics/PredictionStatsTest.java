package org.carotspark.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PredictionStatsTest {

    private static final MetricSettings SETTINGS = new MetricSettings(new int[] {10, 15}, 2);

    @Test
    void knownAnswersForAccuracyTopFiveNllAndBrier() {
        PredictionStats s = new PredictionStats(SETTINGS, true);
        // right, confident: p_label 0.7;  Brier (0.3)^2 + 0.2^2 + 0.1^2 = 0.14
        s.addProbabilities(new double[] {0.7, 0.2, 0.1}, 0);
        // wrong: label ranks 2nd; Brier 0.5^2 + 0.7^2 + 0.2^2 = 0.78
        s.addProbabilities(new double[] {0.5, 0.3, 0.2}, 1);
        // excluded: no place in the label space
        s.addProbabilities(new double[] {0.5, 0.3, 0.2}, -1);
        Metrics m = s.metrics(SETTINGS);
        assertEquals(2, m.n());
        assertEquals(1, s.excluded());
        assertEquals(0.5, m.accuracy(), 0.0);
        assertEquals(1.0, m.top5Accuracy(), 0.0);
        assertEquals((-Math.log(0.7) - Math.log(0.3)) / 2, m.nll(), 1e-9);
        assertEquals((0.14 + 0.78) / 2, m.brier(), 1e-15);
        // 10 bins: 0.7 right in bin 7, 0.5 wrong in bin 5 -> (0.3 + 0.5) / 2
        assertEquals(0.4, m.ece(), 1e-15);
        assertEquals(0.4, m.eceByBins().get(10), 1e-15);
        assertEquals(0.4, m.eceByBins().get(15), 1e-15);
        assertEquals(0.5, m.mce(), 1e-15);
        // 2 equal-mass bins of one pair each: the same gaps
        assertEquals(0.4, m.adaptiveEce(), 1e-15);
        assertEquals(11, m.reliability().size());
    }

    @Test
    void topFiveCountsClassesRankedBeforeTheLabelWithTiesToTheLowerIndex() {
        double[] p = {0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.1};
        PredictionStats s = new PredictionStats(SETTINGS, false);
        s.addProbabilities(p, 4); // ahead: classes 0..3 (ties, lower index) -> rank 4 -> in top 5
        s.addProbabilities(p, 5); // ahead: 0..4 -> rank 5 -> not in top 5
        s.addProbabilities(p, 0); // the arg max: ties go to the lowest index
        Metrics m = s.metrics(SETTINGS);
        assertEquals(2.0 / 3, m.top5Accuracy(), 1e-15);
        assertEquals(1.0 / 3, m.accuracy(), 1e-15);
    }

    @Test
    void brierSpansZeroToTwo() {
        PredictionStats best = new PredictionStats(SETTINGS, false);
        best.addProbabilities(new double[] {1, 0, 0}, 0);
        assertEquals(0.0, best.metrics(SETTINGS).brier(), 0.0);
        PredictionStats worst = new PredictionStats(SETTINGS, false);
        worst.addProbabilities(new double[] {0, 1, 0}, 0);
        assertEquals(2.0, worst.metrics(SETTINGS).brier(), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, worst.metrics(SETTINGS).nll());
    }

    @Test
    void logitsAreScoredAsTheSoftmaxOfLogitsOverTemperature() {
        float[] logits = {2f, 0f, -1f};
        double t = 2.0;
        double[] z = {1.0, 0.0, -0.5};
        double sum = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
        double[] p = {Math.exp(z[0]) / sum, Math.exp(z[1]) / sum, Math.exp(z[2]) / sum};
        PredictionStats fromLogits = new PredictionStats(SETTINGS, true);
        fromLogits.addLogits(logits, t, 1);
        PredictionStats fromProbs = new PredictionStats(SETTINGS, true);
        fromProbs.addProbabilities(p, 1);
        Metrics a = fromLogits.metrics(SETTINGS);
        Metrics b = fromProbs.metrics(SETTINGS);
        assertEquals(-Math.log(p[1]), a.nll(), 1e-9);
        assertEquals(b.nll(), a.nll(), 1e-9);
        assertEquals(b.brier(), a.brier(), 1e-15);
        assertEquals(b.ece(), a.ece(), 1e-15);
        assertEquals(0.0, a.accuracy(), 0.0);
    }

    @Test
    void aTemperatureChangesConfidenceButNeverTheArgmax() {
        PredictionStats hot = new PredictionStats(SETTINGS, false);
        PredictionStats cold = new PredictionStats(SETTINGS, false);
        hot.addLogits(new float[] {0f, (float) Math.log(3)}, 1.0, 1);
        cold.addLogits(new float[] {0f, (float) Math.log(3)}, 1e6, 1);
        assertEquals(1.0, hot.metrics(SETTINGS).accuracy(), 0.0);
        assertEquals(1.0, cold.metrics(SETTINGS).accuracy(), 0.0);
        assertEquals(0.75, hot.headlineBins().meanConfidence(), 1e-7);
        assertEquals(0.5, cold.headlineBins().meanConfidence(), 1e-6);
    }

    @Test
    void partitionsMergedInShuffledOrdersGiveBitIdenticalMetrics() {
        Random r = new Random(11);
        List<float[]> logits = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] l = new float[8];
            for (int j = 0; j < l.length; j++) {
                l[j] = (float) (3 * r.nextGaussian());
            }
            logits.add(l);
            labels.add(i % 97 == 0 ? -1 : r.nextInt(8));
        }
        PredictionStats single = new PredictionStats(SETTINGS, true);
        for (int i = 0; i < logits.size(); i++) {
            single.addLogits(logits.get(i), 1.5, labels.get(i));
        }
        Metrics expected = single.metrics(SETTINGS);
        for (int order = 0; order < 20; order++) {
            List<PredictionStats> parts = new ArrayList<>();
            for (int p = 0; p < 9; p++) {
                parts.add(new PredictionStats(SETTINGS, true));
            }
            for (int i = 0; i < logits.size(); i++) {
                parts.get((i * 7 + order) % 9).addLogits(logits.get(i), 1.5, labels.get(i));
            }
            Collections.shuffle(parts, new Random(order));
            PredictionStats merged = new PredictionStats(SETTINGS, true);
            parts.forEach(merged::merge);
            assertEquals(expected, merged.metrics(SETTINGS), "merge order " + order);
            assertEquals(single.excluded(), merged.excluded());
        }
    }

    @Test
    void aLabelBeyondTheScoredClassesIsABug() {
        PredictionStats s = new PredictionStats(SETTINGS, false);
        assertThrows(IllegalArgumentException.class, () -> s.addProbabilities(new double[] {0.5, 0.5}, 2));
    }
}
