package org.carotspark.train.collective;

import org.carotspark.loss.LossTerms;
import org.carotspark.sparkutil.BulkFloatArray;

import java.io.Serializable;

/**
 * One rank's account of a segment: the hashes of its θ and AdamW state (equal on every rank, or the ranks have
 * diverged), its loss terms and timings, and — from rank 0 only — the state itself, for the driver's EMA teacher,
 * checkpoints and the next segment. A plain class: Spark's Kryo serializer cannot write record fields.
 */
final class SegmentResult implements Serializable {

    private static final long serialVersionUID = 1L;

    final int rank;
    final int steps;
    final long paramsHash;
    final long updaterStateHash;
    final LossTerms terms;
    final double dataSeconds;
    final double teacherSeconds;
    /** Forward, objective, backward and the AdamW step. */
    final double fitSeconds;
    /** Joining the group, all-gathers and all-reduces (waiting for the slowest rank included). */
    final double collectiveSeconds;
    final double taskSeconds;
    private final BulkFloatArray params;
    private final BulkFloatArray updaterState;

    SegmentResult(int rank, int steps, long paramsHash, long updaterStateHash, LossTerms terms, double dataSeconds,
                  double teacherSeconds, double fitSeconds, double collectiveSeconds, double taskSeconds,
                  float[] params, float[] updaterState) {
        this.rank = rank;
        this.steps = steps;
        this.paramsHash = paramsHash;
        this.updaterStateHash = updaterStateHash;
        this.terms = terms;
        this.dataSeconds = dataSeconds;
        this.teacherSeconds = teacherSeconds;
        this.fitSeconds = fitSeconds;
        this.collectiveSeconds = collectiveSeconds;
        this.taskSeconds = taskSeconds;
        this.params = params == null ? null : new BulkFloatArray(params);
        this.updaterState = updaterState == null ? null : new BulkFloatArray(updaterState);
    }

    boolean hasState() {
        return params != null;
    }

    float[] params() {
        return params.values();
    }

    float[] updaterState() {
        return updaterState.values();
    }
}
