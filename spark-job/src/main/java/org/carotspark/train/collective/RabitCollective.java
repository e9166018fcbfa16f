package org.carotspark.train.collective;

import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Collective} on XGBoost4J's communicator (a ring all-reduce over TCP, one connection per neighbour,
 * bootstrapped by a {@link RabitTracker}). The communicator is per thread: the thread that joins is the one that
 * reduces.
 *
 * <p>The all-reduce goes through the library's native entry point, not its public {@code Communicator.allReduce}:
 * the public method ignores the native return code, so when a peer dies it returns the caller's own, unreduced
 * input — training would go on with one rank's gradient. The native call reports the failure, reduces the ND4J
 * buffer in place (no copy into a Java array and back) and is twice as fast on large buffers.
 */
public final class RabitCollective implements Collective {

    private static final Logger LOG = LoggerFactory.getLogger(RabitCollective.class);
    private static final Method NATIVE_ALL_REDUCE = nativeAllReduce();

    private final int rank;
    private final int size;
    private boolean joined = true;

    private RabitCollective(int rank, int size) {
        this.rank = rank;
        this.size = size;
    }

    /**
     * Joins the group that {@code trackerArgs} (a {@link RabitTracker}'s worker arguments) bootstraps, as rank
     * {@code rank} of {@code size}. A peer silent for {@code timeoutSeconds} fails this rank's pending operation.
     */
    public static RabitCollective join(Map<String, Object> trackerArgs, int rank, int size, int timeoutSeconds) {
        Map<String, Object> args = new HashMap<>(trackerArgs);
        // The communicator orders ranks by host, then by this id as a string: zero-padded, it keeps our order.
        args.put("dmlc_task_id", String.format(Locale.ROOT, "%06d", rank));
        args.put("dmlc_timeout", timeoutSeconds);
        args.put("dmlc_retry", 1);
        try {
            Communicator.init(args);
            int joinedSize = Communicator.getWorldSize();
            if (joinedSize != size) {
                Communicator.shutdown();
                throw new CollectiveException("rank " + rank + " joined a group of " + joinedSize + ", expected "
                        + size);
            }
        } catch (XGBoostError e) {
            throw new CollectiveException("rank " + rank + " of " + size + " could not join the collective: "
                    + e.getMessage(), e);
        }
        return new RabitCollective(rank, size);
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void allReduceSum(INDArray values) {
        if (!joined) {
            throw new IllegalStateException("rank " + rank + " has left the collective");
        }
        if (values.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("all-reduce of " + values.dataType() + " values: FLOAT only");
        }
        if (values.isView() || values.offset() != 0 || values.length() != values.data().length()
                || values.ordering() != 'c') {
            INDArray dense = values.dup('c');
            allReduceSum(dense);
            values.assign(dense);
            return;
        }
        // On a GPU backend the host copy is what the ring reduces: bring it up to date first, and mark it as the
        // current copy after (one device-to-host and one host-to-device copy per call; no-ops on the CPU backend).
        Nd4j.getAffinityManager().ensureLocation(values, AffinityManager.Location.HOST);
        ByteBuffer buffer = values.data().asNio();
        int rc;
        try {
            rc = (Integer) NATIVE_ALL_REDUCE.invoke(null, buffer, Math.toIntExact(values.length()),
                    Communicator.DataType.FLOAT32.getEnumOp(), Communicator.OpType.SUM.getOperand());
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("XGBoost4J's native all-reduce could not be called", e);
        }
        Nd4j.getAffinityManager().tagLocation(values, AffinityManager.Location.HOST);
        if (rc != 0) {
            throw new CollectiveException("all-reduce of " + values.length() + " values failed on rank " + rank
                    + " of " + size + ": " + XGBoostJNI.XGBGetLastError().strip());
        }
    }

    /** Leaves the group; the peers' next operation fails instead of waiting. Safe to call twice. */
    @Override
    public void close() {
        if (!joined) {
            return;
        }
        joined = false;
        try {
            Communicator.shutdown();
        } catch (XGBoostError | RuntimeException e) {
            LOG.debug("rank {}: leaving the collective: {}", rank, e.getMessage());
        }
    }

    private static Method nativeAllReduce() {
        try {
            Method m = XGBoostJNI.class.getDeclaredMethod("CommunicatorAllreduce", ByteBuffer.class, int.class,
                    int.class, int.class);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("this XGBoost4J has no native CommunicatorAllreduce(ByteBuffer,"
                    + " int, int, int): the collective needs xgboost4j 3.4.x");
        }
    }
}
