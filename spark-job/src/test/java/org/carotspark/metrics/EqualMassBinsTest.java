package org.carotspark.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EqualMassBinsTest {

    private static EqualMassBins of(double[] conf, boolean[] correct) {
        EqualMassBins b = new EqualMassBins();
        for (int i = 0; i < conf.length; i++) {
            b.add(conf[i], correct[i]);
        }
        return b;
    }

    @Test
    void remainderGoesToTheLowestConfidenceBins() {
        // 10 pairs, 3 bins: sizes 4, 3, 3 over the sorted confidences.
        double[] conf = {0.95, 0.1, 0.5, 0.2, 0.9, 0.3, 0.6, 0.4, 0.7, 0.8};
        boolean[] correct = {true, false, true, false, true, true, false, false, true, true};
        List<ReliabilityBin> bins = of(conf, correct).bins(3);
        assertEquals(List.of(4L, 3L, 3L), bins.stream().map(ReliabilityBin::count).toList());
        // bin 0: 0.1 F, 0.2 F, 0.3 T, 0.4 F -> conf 0.25, acc 0.25
        // bin 1: 0.5 T, 0.6 F, 0.7 T       -> conf 0.6,  acc 2/3
        // bin 2: 0.8 T, 0.9 T, 0.95 T      -> conf 0.88333, acc 1
        assertEquals(0.25, bins.get(0).meanConfidence(), 1e-15);
        assertEquals(0.25, bins.get(0).accuracy(), 0.0);
        assertEquals(0.1, bins.get(0).lower(), 0.0);
        assertEquals(0.4, bins.get(0).upper(), 0.0);
        double expected = (4 * 0.0 + 3 * Math.abs(2.0 / 3 - 0.6) + 3 * Math.abs(1 - 2.65 / 3)) / 10;
        assertEquals(expected, of(conf, correct).expectedCalibrationError(3), 1e-15);
    }

    @Test
    void tiesOnABinBoundaryAreSplitInProportionNotByOutcome() {
        // Sorted: 0.2 T, then four ties at 0.5 (2 wrong, 2 right), then 0.9 T; 2 bins of 3 positions.
        // Bin 0 takes 0.2 T and 2 of the 4 tied pairs, each worth the group's accuracy 1/2:
        // Σ correct 1 + 2·0.5 = 2, Σ confidence 0.2 + 2·0.5 = 1.2. Bin 1: the other 2 tied and 0.9 T.
        double[] conf = {0.5, 0.9, 0.5, 0.2, 0.5, 0.5};
        boolean[] correct = {true, true, false, true, true, false};
        List<ReliabilityBin> bins = of(conf, correct).bins(2);
        assertEquals(3, bins.get(0).count());
        assertEquals(2.0 / 3, bins.get(0).accuracy(), 1e-15);
        assertEquals(0.4, bins.get(0).meanConfidence(), 1e-15);
        assertEquals(2.0 / 3, bins.get(1).accuracy(), 1e-15);
        assertEquals(1.9 / 3, bins.get(1).meanConfidence(), 1e-15);
        assertEquals(0.5, bins.get(0).upper(), 0.0);
        assertEquals(0.5, bins.get(1).lower(), 0.0);
        double expected = (3 * Math.abs(2.0 / 3 - 0.4) + 3 * Math.abs(2.0 / 3 - 1.9 / 3)) / 6;
        assertEquals(expected, of(conf, correct).expectedCalibrationError(2), 1e-15);
        // All tied: every bin gets the overall accuracy, so a constant predictor at its accuracy has ECE 0.
        double[] flat = new double[10];
        boolean[] third = new boolean[10];
        for (int i = 0; i < 10; i++) {
            flat[i] = 0.3;
            third[i] = i % 10 < 3;
        }
        assertEquals(0.0, of(flat, third).expectedCalibrationError(5), 1e-15);
    }

    @Test
    void fewerPairsThanBinsLeavesTheRestEmpty() {
        EqualMassBins b = of(new double[] {0.3, 0.8}, new boolean[] {false, true});
        assertEquals(2, b.bins(5).size());
        assertEquals((0.3 + 0.2) / 2, b.expectedCalibrationError(5), 1e-15);
    }

    @Test
    void anyPartitioningAndMergeOrderGivesTheBitIdenticalResult() {
        Random r = new Random(3);
        int n = 2000;
        double[] conf = new double[n];
        boolean[] correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            conf[i] = Math.round(r.nextDouble() * 40) / 40.0; // many ties
            correct[i] = r.nextDouble() < conf[i];
        }
        double single = of(conf, correct).expectedCalibrationError(15);
        for (int trial = 0; trial < 10; trial++) {
            List<EqualMassBins> parts = new ArrayList<>();
            int cut = 0;
            Random cuts = new Random(100 + trial);
            while (cut < n) {
                int end = Math.min(n, cut + 1 + cuts.nextInt(300));
                EqualMassBins p = new EqualMassBins();
                for (int i = cut; i < end; i++) {
                    p.add(conf[i], correct[i]);
                }
                parts.add(p);
                cut = end;
            }
            Collections.shuffle(parts, new Random(trial));
            EqualMassBins merged = new EqualMassBins();
            parts.forEach(merged::merge);
            assertEquals(single, merged.expectedCalibrationError(15), 0.0);
            assertEquals(of(conf, correct).bins(15), merged.bins(15));
        }
    }
}
