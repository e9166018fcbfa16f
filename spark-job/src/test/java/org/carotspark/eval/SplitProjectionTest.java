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
}
