package org.carotspark.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitProjectionTest {

    private final float[] logits = {0.1f, 2.0f, -1.0f, 3.0f, 0.5f};

    @Test
    void subsetRestrictsColumnsAndRelabels() {
        SplitProjection p = SplitProjection.subset(new int[] {1, 2, 4});
        assertArrayEquals(new float[] {2.0f, -1.0f, 0.5f}, p.project(logits));
        assertEquals(2, p.projectedLabel(4));
        assertEquals(-1, p.projectedLabel(3), "a label outside the subset has no place in it");
    }

    @Test
    void objectNetClassTakesMaxOverItsMappedClasses() {
        SplitProjection p = SplitProjection.maxOverMapped(new int[][] {{0, 3}, {2}, {1, 4}});
        assertArrayEquals(new float[] {3.0f, -1.0f, 2.0f}, p.project(logits));
        assertEquals(1, p.projectedLabel(1));
    }

    @Test
    void temperatureOnlyChangesConfidenceNotTheArgmax() {
        CalibrationBins[] bins = {new CalibrationBins(10), new CalibrationBins(10)};
        DistributedEvaluator.score(new float[] {0f, (float) Math.log(3)}, 1, new double[] {1.0, 1e6}, bins);
        assertEquals(1.0, bins[0].accuracy());
        assertEquals(1.0, bins[1].accuracy());
        assertEquals(0.75, bins[0].meanConfidence(), 1e-6);
        assertEquals(0.5, bins[1].meanConfidence(), 1e-6);
    }
}
