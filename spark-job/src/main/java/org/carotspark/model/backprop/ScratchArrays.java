package org.carotspark.model.backprop;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The intermediates of one tower, reused from step to step. A training step asks for the same shapes in the same
 * order every time; ND4J's allocation of a fresh off-heap array (and the first touch of its pages) cost 12 % of the
 * written-out step at batch 64, as much as the LayerNorms. Arrays given back are handed out again for the same data
 * type and shape, with their old contents: a caller writes every entry of what it takes. What the pool holds is at
 * most one step's intermediates at the current batch size: a step with another row count empties it first.
 * One pool per tower runtime, used by one thread at a time as DL4J uses a graph.
 */
public final class ScratchArrays {

    private final Map<String, ArrayDeque<INDArray>> free = new HashMap<>();
    private final Set<INDArray> pooled = Collections.newSetFromMap(new IdentityHashMap<>());
    private long rows = -1;

    /** An array of this type and shape, contents unspecified. */
    public INDArray take(DataType type, long... shape) {
        ArrayDeque<INDArray> q = free.get(key(type, shape));
        INDArray a = q == null ? null : q.pollLast();
        if (a == null) {
            return Nd4j.createUninitialized(type, shape);
        }
        pooled.remove(a);
        return a;
    }

    /**
     * Takes back arrays the caller allocated and no longer reads (null entries are skipped). Views and arrays the
     * pool cannot reuse are freed instead of waiting for a garbage collection.
     */
    public void give(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a == null || a.wasClosed() || pooled.contains(a)) {
                continue;
            }
            if (a.isView() || a.ordering() != 'c' || a.isAttached() || !a.closeable()) {
                if (a.closeable()) {
                    a.close();
                }
                continue;
            }
            free.computeIfAbsent(key(a.dataType(), a.shape()), k -> new ArrayDeque<>()).addLast(a);
            pooled.add(a);
        }
    }

    /** Frees everything pooled when the step's row count differs from the last one's. */
    public void startStep(long stepRows) {
        if (stepRows != rows) {
            clear();
            rows = stepRows;
        }
    }

    public void clear() {
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray a : q) {
                a.close();
            }
        }
        free.clear();
        pooled.clear();
    }

    private static String key(DataType type, long[] shape) {
        return type + Arrays.toString(shape);
    }
}
