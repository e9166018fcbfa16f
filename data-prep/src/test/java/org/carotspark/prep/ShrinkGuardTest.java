package org.carotspark.prep;

import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** carot.prep.max-shrink: how far a split may shrink against the published version before prep refuses it. */
class ShrinkGuardTest {

    private static SplitReport rows(long n) {
        return new SplitReport("imagenet-train", "file:/data/train", "v2", "p", "file:/p", "r", n, n, 0,
                new TreeMap<>(Map.of(0, n)), new TreeMap<>(), 1.0, null);
    }

    private static Optional<PrepManifest> published(long n) {
        SplitReport old = new SplitReport("imagenet-train", "file:/data/train", "v1", "p", "file:/p", "r", n, n, 0,
                new TreeMap<>(Map.of(0, n)), new TreeMap<>(), 1.0, null);
        return Optional.of(new PrepManifest("v1", List.of(), 224, 224, 95, 0.05, 1, Map.of("imagenet-train", old),
                null));
    }

    @Test
    void aShrinkBeyondTheLimitOrToNothingIsRefusedUnlessForced() {
        ShrinkGuard half = new ShrinkGuard(0.5, false);
        assertDoesNotThrow(() -> half.check(rows(50), published(100)), "exactly half is within the limit");
        assertDoesNotThrow(() -> half.check(rows(150), published(100)), "growing is fine");
        assertDoesNotThrow(() -> half.check(rows(0), Optional.empty()), "nothing published: nothing to protect");
        UserFacingException e = assertThrows(UserFacingException.class, () -> half.check(rows(49), published(100)));
        assertTrue(e.getMessage().contains("49 rows") && e.getMessage().contains("v1 has 100")
                && e.getMessage().contains("51% fewer") && e.getMessage().contains("carot.prep.max-shrink = 0.5"),
                e.getMessage());
        assertThrows(UserFacingException.class, () -> new ShrinkGuard(1.0, false).check(rows(0), published(100)),
                "0 rows is refused even when any shrink is allowed");
        assertDoesNotThrow(() -> new ShrinkGuard(0.5, true).check(rows(0), published(100)), "forced");
    }
}
