package org.carotspark.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Equal-width bins in torchmetrics' convention: [i/M, (i+1)/M), and a slot of its own for 1.0. */
class CalibrationBinsTest {

    @Test
    void aConfidenceOnAnEdgeGoesToTheUpperBinAndOneHasASlotOfItsOwn() {
        for (int edge = 0; edge < 10; edge++) {
            assertEquals(edge, CalibrationBins.binOf(edge / 10.0, 10), "confidence " + edge / 10.0);
        }
        assertEquals(10, CalibrationBins.binOf(1.0, 10));
        assertEquals(9, CalibrationBins.binOf(Math.nextDown(1.0), 10));
        assertEquals(3, CalibrationBins.binOf(0.3, 10));
        assertEquals(2, CalibrationBins.binOf(Math.nextDown(0.3), 10));
        assertEquals(15, CalibrationBins.binOf(0.3, 50));
        assertEquals(1, CalibrationBins.binOf(1 / 3.0, 3));
        assertEquals(2, CalibrationBins.binOf(2 / 3.0, 3));
        assertEquals(0, CalibrationBins.binOf(Math.nextDown(1 / 3.0), 3));
        assertEquals(0, CalibrationBins.binOf(0.0, 15));
        for (int m = 1; m <= 40; m++) {
            for (int i = 1; i < m; i++) {
                assertEquals(i, CalibrationBins.binOf(i / (double) m, m), i + "/" + m);
                assertEquals(i - 1, CalibrationBins.binOf(Math.nextDown(i / (double) m), m), "just below " + i + "/" + m);
            }
        }
    }

    @Test
    void knownAnswerWithEdgesEmptyBinsAndExactOnes() {
        // bin 0: {0.0 wrong}: gap 0.  bin 1: {0.1 right, 0.15 wrong}: |0.5 - 0.125| = 0.375, weight 2/7.
        // bin 3: {0.3 right}: 0.7.  bin 9: {0.95 right}: 0.05.  slot [1,1]: {1.0 right, 1.0 wrong}: 0.5, weight 2/7.
        double[] conf = {0.0, 0.1, 0.15, 0.3, 0.95, 1.0, 1.0};
        boolean[] correct = {false, true, false, true, true, true, false};
        CalibrationBins bins = ExpectedCalibrationError.bins(conf, correct, 10);
        assertEquals((2 * 0.375 + 0.7 + 0.05 + 2 * 0.5) / 7, bins.expectedCalibrationError(), 1e-15);
        assertEquals(0.7, bins.maximumCalibrationError(), 1e-15);
        assertEquals(4.0 / 7, bins.accuracy(), 1e-15);
        assertEquals(2, bins.count(1));
        assertEquals(1, bins.count(3));
        assertEquals(0, bins.count(2));
        assertEquals(2, bins.count(10));
        List<ReliabilityBin> r = bins.reliability();
        assertEquals(11, r.size());
        assertEquals(0.1, r.get(1).lower(), 0.0);
        assertEquals(0.2, r.get(1).upper(), 0.0);
        assertEquals(0.125, r.get(1).meanConfidence(), 1e-15);
        assertEquals(0.5, r.get(1).accuracy(), 0.0);
        assertEquals(1.0, r.get(10).lower(), 0.0);
        assertEquals(1.0, r.get(10).upper(), 0.0);
        assertTrue(Double.isNaN(r.get(2).accuracy()), "an empty bin has no accuracy");
    }

    @Test
    void perfectCalibrationHasZeroEce() {
        double[] conf = new double[20];
        boolean[] correct = new boolean[20];
        for (int i = 0; i < 10; i++) {
            conf[i] = 0.6;
            correct[i] = i < 6;
        }
        for (int i = 10; i < 20; i++) {
            conf[i] = 0.9;
            correct[i] = i < 19;
        }
        assertEquals(0.0, ExpectedCalibrationError.of(conf, correct, 10), 1e-15);
    }

    @Test
    void alwaysConfidentAlwaysWrongIsMaximallyMiscalibrated() {
        CalibrationBins bins = ExpectedCalibrationError.bins(new double[] {1.0, 1.0, 1.0},
                new boolean[] {false, false, false}, 10);
        assertEquals(1.0, bins.expectedCalibrationError(), 0.0);
        assertEquals(1.0, bins.maximumCalibrationError(), 0.0);
        assertEquals(0.0, bins.accuracy(), 0.0);
    }

    @Test
    void partitionsMergedInAnyOrderGiveTheBitIdenticalSinglePassResult() {
        Random r = new Random(7);
        int n = 1000;
        double[] conf = new double[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = i % 50 == 0 ? (i % 100) / 100.0 : r.nextDouble();
            correct[i] = r.nextDouble() < conf[i] * conf[i];
        }
        CalibrationBins single = ExpectedCalibrationError.bins(conf, correct, 15);
        for (int order = 0; order < 10; order++) {
            List<Integer> starts = new ArrayList<>();
            for (int s = 0; s < n; s += 137) {
                starts.add(s);
            }
            Collections.shuffle(starts, new Random(order));
            CalibrationBins merged = new CalibrationBins(15);
            for (int s : starts) {
                CalibrationBins part = new CalibrationBins(15);
                for (int i = s; i < Math.min(n, s + 137); i++) {
                    part.add(conf[i], correct[i]);
                }
                merged.merge(part);
            }
            assertEquals(single.expectedCalibrationError(), merged.expectedCalibrationError(), 0.0);
            assertEquals(single.maximumCalibrationError(), merged.maximumCalibrationError(), 0.0);
            assertEquals(single.meanConfidence(), merged.meanConfidence(), 0.0);
            assertEquals(n, merged.total());
        }
    }

    @Test
    void rejectsConfidenceOutsideUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> CalibrationBins.binOf(1.0001, 10));
        assertThrows(IllegalArgumentException.class, () -> CalibrationBins.binOf(Double.NaN, 10));
        assertTrue(Double.isNaN(new CalibrationBins(10).expectedCalibrationError()));
    }
}
