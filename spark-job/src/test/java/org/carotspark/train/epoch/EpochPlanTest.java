package org.carotspark.train.epoch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Fixed averaging rounds and collective segments cut where the driver must act. */
class EpochPlanTest {

    @Test
    void fixedRoundsOfKStepsWithAShortLastRound() {
        EpochPlan plan = new EpochPlan(1, 12, 6, 2, 8, 4);
        assertEquals(2, plan.rounds());
        assertEquals(4, plan.roundSteps(0));
        assertEquals(2, plan.roundSteps(1));
        assertEquals(1, plan.roundAt(16));
        assertThrows(IllegalStateException.class, () -> plan.roundAt(15));
        // Position 70 = minibatch 8 = step 4 of the epoch on worker 0: round 1.
        assertEquals(2, plan.partitionOf(70));
        assertEquals(16, plan.stepOf(70));
    }

    @Test
    void segmentsEndWhereTheDriverActsAtTheLongestLengthAndWhereARunResumes() {
        // Epoch of steps 10..19; the driver acts after 12 and 15 steps done; at most 2 steps; resumed at step 17.
        EpochPlan plan = EpochPlan.segmented(1, 10, 10, 2, 4, 2, 17, done -> done == 12 || done == 15);
        assertEquals(6, plan.rounds());
        long[] expectedStarts = {10, 12, 14, 15, 17, 19};
        int[] expectedSteps = {2, 2, 1, 2, 2, 1};
        for (int r = 0; r < plan.rounds(); r++) {
            assertEquals(expectedStarts[r], plan.firstStepOfRound(r), "round " + r);
            assertEquals(expectedSteps[r], plan.roundSteps(r), "round " + r);
        }
        assertEquals(4, plan.roundAt(17));
        // Step 16 of the run = step 6 of the epoch, worker 1: minibatch 13, positions 52..55, segment 3.
        assertEquals(3 * 2 + 1, plan.partitionOf(53));
        assertNotEquals(plan, EpochPlan.segmented(1, 10, 10, 2, 4, 2, 16, done -> done == 12 || done == 15));
        assertEquals(plan, EpochPlan.segmented(1, 10, 10, 2, 4, 2, 17, done -> done == 12 || done == 15));
    }
}
