package org.carotspark.train;

import org.carotspark.loss.LossTerms;

import java.io.Serializable;
import java.util.List;

/**
 * What the workers of one round return, summed: parameters and AdamW state (parameter averaging: to be divided
 * by {@code workers}) or the gradient (exact mode), the loss terms of every minibatch, and where the tasks' time
 * went.
 */
final class WorkerResult implements Serializable {

    private static final long serialVersionUID = 1L;

    float[] params;
    float[] updaterState;
    float[] gradient;
    int workers;
    int minibatches;
    LossTerms terms = new LossTerms(List.of());
    double fitSeconds;
    double dataSeconds;
    double teacherSeconds;
    double maxTaskSeconds;

    static WorkerResult empty() {
        return new WorkerResult();
    }

    /** Adds {@code other} into this result and returns it. */
    WorkerResult merge(WorkerResult other) {
        if (other.workers == 0) {
            return this;
        }
        params = add(params, other.params);
        updaterState = add(updaterState, other.updaterState);
        gradient = add(gradient, other.gradient);
        workers += other.workers;
        minibatches += other.minibatches;
        terms = terms.merge(other.terms);
        fitSeconds += other.fitSeconds;
        dataSeconds += other.dataSeconds;
        teacherSeconds += other.teacherSeconds;
        maxTaskSeconds = Math.max(maxTaskSeconds, other.maxTaskSeconds);
        return this;
    }

    /** Fails unless all {@code expected} workers are in the sum ({@code what}: the round, for the message). */
    void requireWorkers(int expected, String what) {
        if (workers != expected) {
            throw new IllegalStateException(what + " came back from " + workers + " of " + expected + " workers");
        }
    }

    private static float[] add(float[] sum, float[] x) {
        if (x == null) {
            return sum;
        }
        if (sum == null) {
            return x.clone();
        }
        if (sum.length != x.length) {
            throw new IllegalStateException("workers returned " + sum.length + " and " + x.length + " values");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += x[i];
        }
        return sum;
    }

    /** The element-wise mean over workers of a summed vector. */
    float[] mean(float[] sum) {
        float[] m = new float[sum.length];
        float inv = 1f / workers;
        for (int i = 0; i < m.length; i++) {
            m[i] = sum[i] * inv;
        }
        return m;
    }
}
