package org.carotspark.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectedCalibrationErrorTest {

    @Test
    void confidencesExactlyOnBinEdgesFallIntoTheBinTheyClose() {
        for (int edge = 1; edge <= 10; edge++) {
            double c = edge / 10.0;
            assertEquals(edge - 1, CalibrationBins.binOf(c, 10), "confidence " + c);
        }
        assertEquals(0, CalibrationBins.binOf(0.0, 10));
        assertEquals(3, CalibrationBins.binOf(Math.nextUp(0.3), 10));
        assertEquals(2, CalibrationBins.binOf(0.3, 10));
        assertEquals(14, CalibrationBins.binOf(0.3, 50));
        assertEquals(0, CalibrationBins.binOf(1e-12, 10));
        assertEquals(9, CalibrationBins.binOf(Math.nextDown(1.0), 10));
    }

    @Test
    void handComputedExampleWithEmptyBins() {
        // Bin (0.2,0.3]: confidences 0.3, 0.25 with 1 correct -> |0.5 - 0.275| * 2/5.
        // Bin (0.8,0.9]: 0.9, 0.85, 0.81 with 3 correct   -> |1 - 0.8533..| * 3/5. Other bins empty.
        double[] conf = {0.3, 0.25, 0.9, 0.85, 0.81};
        boolean[] correct = {true, false, true, true, true};
        double expected = Math.abs(1 - 0.55) / 5 + Math.abs(3 - 2.56) / 5;
        assertEquals(expected, ExpectedCalibrationError.of(conf, correct, 10), 1e-12);
        CalibrationBins bins = ExpectedCalibrationError.bins(conf, correct, 10);
        assertEquals(0.8, bins.accuracy(), 1e-12);
        assertEquals(0, bins.count(5));
        assertEquals(2, bins.count(2));
        assertEquals(3, bins.count(8));
    }

    @Test
    void perfectCalibrationHasZeroEce() {
        // Within each bin, the fraction correct equals the mean confidence exactly.
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
        assertEquals(0.0, ExpectedCalibrationError.of(conf, correct, 10), 1e-12);
    }

    @Test
    void alwaysConfidentAlwaysWrongIsMaximallyMiscalibrated() {
        double[] conf = {1.0, 1.0, 1.0};
        boolean[] correct = {false, false, false};
        assertEquals(1.0, ExpectedCalibrationError.of(conf, correct, 10), 1e-12);
        assertEquals(0.0, ExpectedCalibrationError.bins(conf, correct, 10).accuracy(), 0.0);
    }

    @Test
    void mergingPartitionsEqualsOnePass() {
        Random r = new Random(7);
        int n = 1000;
        double[] conf = new double[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = r.nextDouble();
            correct[i] = r.nextDouble() < conf[i] * conf[i];
        }
        CalibrationBins merged = new CalibrationBins(15);
        for (int start = 0; start < n; start += 137) {
            CalibrationBins part = new CalibrationBins(15);
            for (int i = start; i < Math.min(n, start + 137); i++) {
                part.add(conf[i], correct[i]);
            }
            merged.merge(part);
        }
        assertEquals(ExpectedCalibrationError.of(conf, correct, 15), merged.expectedCalibrationError(), 1e-12);
        assertEquals(n, merged.total());
    }

    @Test
    void softmaxConfidenceIsStableForLargeLogits() {
        double[] r = ExpectedCalibrationError.softmaxMaxAndArgmax(new float[] {1000f, 1000f, -1000f});
        assertEquals(0.5, r[0], 1e-12);
        assertEquals(0, (int) r[1]);
        double[] s = ExpectedCalibrationError.softmaxMaxAndArgmax(new float[] {0f, (float) Math.log(3)});
        assertEquals(0.75, s[0], 1e-6);
        assertEquals(1, (int) s[1]);
    }

    @Test
    void rejectsConfidenceOutsideUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> CalibrationBins.binOf(1.0001, 10));
        assertThrows(IllegalArgumentException.class, () -> CalibrationBins.binOf(Double.NaN, 10));
        assertTrue(Double.isNaN(new CalibrationBins(10).expectedCalibrationError()));
    }
}
