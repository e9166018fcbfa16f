package org.carotspark.train.collective;

import ml.dmlc.xgboost4j.java.XGBoostError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The bootstrap service of one {@link RabitCollective} group: ranks connect to it to find their ring neighbours.
 * One tracker serves one group once; a re-run of a segment starts a new one (joining a stopped tracker fails).
 */
public final class RabitTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RabitTracker.class);

    private final ml.dmlc.xgboost4j.java.RabitTracker tracker;
    private final Map<String, Object> workerArgs;

    private RabitTracker(ml.dmlc.xgboost4j.java.RabitTracker tracker, Map<String, Object> workerArgs) {
        this.tracker = tracker;
        this.workerArgs = workerArgs;
    }

    /** A tracker for {@code size} ranks listening on {@code host} (a free port), which gives up after the timeout. */
    public static RabitTracker start(int size, String host, int timeoutSeconds) {
        try {
            ml.dmlc.xgboost4j.java.RabitTracker t = new StoppingTracker(size, host, timeoutSeconds);
            if (!t.start()) {
                throw new CollectiveException("the collective's tracker did not start on " + host);
            }
            return new RabitTracker(t, t.getWorkerArgs());
        } catch (XGBoostError e) {
            throw new CollectiveException("the collective's tracker did not start on " + host + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The library's tracker, stopped as soon as its thread fails (a rank did not connect in time): a failed tracker
     * that stays open keeps the ranks that did connect waiting for it, past every timeout.
     */
    private static final class StoppingTracker extends ml.dmlc.xgboost4j.java.RabitTracker {

        StoppingTracker(int size, String host, int timeoutSeconds) throws XGBoostError {
            super(size, host, 0, timeoutSeconds);
        }

        @Override
        public void uncaughtException(Thread thread, Throwable failure) {
            super.uncaughtException(thread, failure);
            try {
                stop();
            } catch (XGBoostError | RuntimeException e) {
                LOG.debug("stopping the failed tracker: {}", e.getMessage());
            }
        }
    }

    /** What each rank passes to {@link RabitCollective#join}: the tracker's address. */
    public Map<String, Object> workerArgs() {
        return workerArgs;
    }

    /** Waits up to {@code timeoutSeconds} for every rank to leave the group (rank 0, after its own {@code close}). */
    public void awaitGroupEnd(int timeoutSeconds) {
        try {
            tracker.waitFor(timeoutSeconds);
        } catch (XGBoostError | RuntimeException e) {
            LOG.debug("waiting for the collective's ranks to leave: {}", e.getMessage());
        }
    }

    /** Stops the tracker; its group has finished or failed (the library throws when ranks never said goodbye). */
    @Override
    public void close() {
        try {
            tracker.stop();
        } catch (XGBoostError | RuntimeException e) {
            LOG.debug("stopping the collective's tracker: {}", e.getMessage());
        }
    }
}
