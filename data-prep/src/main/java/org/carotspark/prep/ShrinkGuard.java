package org.carotspark.prep;

import org.carotspark.config.UserFacingException;

import java.util.Locale;
import java.util.Optional;

/**
 * Refuses to publish a split that shrank to nothing or by more than {@code carot.prep.max-shrink} against the
 * published version: an empty or unmounted source directory would otherwise replace good data (and the next prep
 * would delete the last good version). {@code carot.prep.force-shrink} publishes it anyway.
 */
record ShrinkGuard(double maxShrink, boolean force) {

    static final String MAX_SHRINK = "carot.prep.max-shrink";
    static final String FORCE = "carot.prep.force-shrink";

    /** @throws UserFacingException when {@code written} may not replace the split's published rows */
    void check(SplitReport written, Optional<PrepManifest> published) {
        if (force) {
            return;
        }
        SplitReport before = published.map(m -> m.splits().get(written.split())).orElse(null);
        if (before == null || before.rowsWritten() == 0) {
            return;
        }
        long now = written.rowsWritten();
        double shrink = 1.0 - (double) now / before.rowsWritten();
        if (now == 0 || shrink > maxShrink) {
            throw new UserFacingException(String.format(Locale.ROOT, "split %s: %d rows from %s where the published"
                            + " version %s has %d (%.0f%% fewer, more than %s = %s): an empty or unmounted source?"
                            + " Nothing was published and the previous version stays in use; set %s = true to"
                            + " publish it anyway", written.split(), now, written.sourceRoot(),
                    before.version() == null ? "(unversioned)" : before.version(), before.rowsWritten(), 100 * shrink,
                    MAX_SHRINK, maxShrink, FORCE));
        }
    }
}
