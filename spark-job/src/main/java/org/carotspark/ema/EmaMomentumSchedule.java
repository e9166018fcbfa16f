package org.carotspark.ema;

import java.io.Serializable;

/**
 * When and how strongly the EMA teacher follows the student: every {@code intervalSteps} steps,
 * ψ ← m·ψ + (1−m)·θ with m rising linearly from {@code start} to {@code end} over the first
 * {@code rampFraction} of all steps, then held at {@code end} (the paper: 0.05 → 0.9 over 20 %, every 500).
 */
public record EmaMomentumSchedule(int intervalSteps, double start, double end, double rampFraction, long totalSteps)
        implements Serializable {

    public EmaMomentumSchedule {
        if (intervalSteps < 1) {
            throw new IllegalArgumentException("EMA interval must be >= 1 step, got " + intervalSteps);
        }
        if (start < 0 || start > 1 || end < 0 || end > 1) {
            throw new IllegalArgumentException("EMA momenta must lie in [0,1], got " + start + " -> " + end);
        }
        if (rampFraction < 0 || rampFraction > 1) {
            throw new IllegalArgumentException("EMA ramp fraction must lie in [0,1], got " + rampFraction);
        }
    }

    /** Momentum m at a given global step. */
    public double momentumAt(long step) {
        double rampSteps = rampFraction * totalSteps;
        if (rampSteps <= 0 || step >= rampSteps) {
            return end;
        }
        return start + (end - start) * (step / rampSteps);
    }

    /**
     * Whether a round that advanced the global step from {@code stepBefore} to {@code stepAfter}
     * reached or crossed a multiple of the interval. Averaging rounds of k steps therefore trigger
     * the EMA at the first round boundary at or after each multiple (a non-dividing k rounds up).
     */
    public boolean updateDue(long stepBefore, long stepAfter) {
        return stepAfter / intervalSteps > stepBefore / intervalSteps;
    }
}
