package org.carotspark.train.collective;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Failure injection for the tests of collective mode's recovery: the JVM system property
 * {@code carot.test.collective-fail-at-step=<rank>:<step>} makes that rank throw once, before that global step, in
 * this JVM (local mode: the tests' own); {@code carot.test.collective-stall-before-join=<rank>} makes that rank
 * stay away from the group for {@code <seconds>} given by {@code carot.test.collective-stall-seconds}, as a peer
 * that never comes. Unset, as in every real run, it costs one property read per step.
 */
final class CollectiveFaults {

    static final String PROPERTY = "carot.test.collective-fail-at-step";
    static final String STALL_PROPERTY = "carot.test.collective-stall-before-join";
    static final String STALL_PROPERTY_SECONDS = "carot.test.collective-stall-seconds";
    private static final AtomicBoolean FIRED = new AtomicBoolean();

    private CollectiveFaults() {
    }

    static void beforeStep(int rank, long step) {
        String at = System.getProperty(PROPERTY);
        if (at != null && at.equals(rank + ":" + step) && FIRED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure of rank " + rank + " before step " + step);
        }
    }

    static void beforeJoin(int rank) {
        String stalled = System.getProperty(STALL_PROPERTY);
        if (stalled != null && stalled.equals(Integer.toString(rank))) {
            try {
                Thread.sleep(1000L * Integer.getInteger(STALL_PROPERTY_SECONDS, 60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("injected: rank " + rank + " never joined");
        }
    }

    /** Arms the injection again (tests). */
    static void reset() {
        FIRED.set(false);
    }
}
