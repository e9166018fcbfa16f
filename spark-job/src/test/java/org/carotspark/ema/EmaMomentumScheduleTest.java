package org.carotspark.ema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmaMomentumScheduleTest {

    // The paper's setting: 10 000 steps, ramp over the first 20 % = 2 000 steps, every 500.
    private final EmaMomentumSchedule paper = new EmaMomentumSchedule(500, 0.05, 0.9, 0.2, 10_000);

    @Test
    void momentumAtStartMidRampEndOfRampAndAfter() {
        assertEquals(0.05, paper.momentumAt(0), 1e-12);
        assertEquals(0.05 + 0.85 * 0.5, paper.momentumAt(1000), 1e-12);
        assertEquals(0.9, paper.momentumAt(2000), 1e-12);
        assertEquals(0.9, paper.momentumAt(9999), 1e-12);
        assertEquals(0.05 + 0.85 * 0.25, paper.momentumAt(500), 1e-12);
    }

    @Test
    void updatesFireAtRoundBoundariesReachingOrCrossingMultiples() {
        assertFalse(paper.updateDue(0, 499));
        assertTrue(paper.updateDue(499, 500));
        assertTrue(paper.updateDue(495, 502), "a round of 7 steps crossing 500 triggers once");
        assertFalse(paper.updateDue(500, 999));
        assertTrue(paper.updateDue(998, 1001));
    }

    @Test
    void teacherStartsAsCopyAndMovesByMomentum() {
        float[] theta = {1f, 2f};
        EmaTeacher teacher = new EmaTeacher(theta);
        theta[0] = 100f; // the teacher keeps its own copy
        assertArrayEquals(new float[] {1f, 2f}, teacher.snapshot());
        teacher.update(new float[] {3f, 6f}, 0.75);
        assertArrayEquals(new float[] {1.5f, 3f}, teacher.snapshot(), 1e-6f);
        assertEquals(1, teacher.updates());
    }
}
