package org.carotspark.train.collective;

import org.carotspark.loss.LossTerms;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's check of a segment's ranks: all present, all the same steps, θ and AdamW state hashing equal. */
class SegmentResultCheckTest {

    private static SegmentResult rank(int rank, int steps, long paramsHash, long stateHash) {
        return new SegmentResult(rank, steps, paramsHash, stateHash, new LossTerms(List.of()), 0, 0, 0, 0, 0,
                rank == 0 ? new float[] {1} : null, rank == 0 ? new float[] {2} : null);
    }

    @Test
    void agreeingRanksGiveRankZerosState() {
        SegmentResult zero = rank(0, 3, 11, 22);
        assertSame(zero, CollectiveSteps.check(List.of(rank(1, 3, 11, 22), zero), 2, 3, "segment"));
    }

    @Test
    void divergedMissingOrShortRanksFailTheSegment() {
        String diverged = assertThrows(IllegalStateException.class, () -> CollectiveSteps.check(
                List.of(rank(0, 3, 11, 22), rank(1, 3, 12, 22)), 2, 3, "segment")).getMessage();
        assertTrue(diverged.contains("diverged"), diverged);
        assertThrows(IllegalStateException.class, () -> CollectiveSteps.check(
                List.of(rank(0, 3, 11, 22), rank(1, 3, 11, 23)), 2, 3, "segment"));
        assertThrows(IllegalStateException.class, () -> CollectiveSteps.check(List.of(rank(0, 3, 11, 22)), 2, 3,
                "segment"));
        assertThrows(IllegalStateException.class, () -> CollectiveSteps.check(
                List.of(rank(0, 3, 11, 22), rank(1, 2, 11, 22)), 2, 3, "segment"));
        assertThrows(IllegalStateException.class, () -> CollectiveSteps.check(
                List.of(rank(1, 3, 11, 22), rank(2, 3, 11, 22)), 2, 3, "segment"));
    }
}
