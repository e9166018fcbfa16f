package org.carotspark.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate at a global step: linear warm-up to {@code baseLr} over {@code warmupSteps} (step s gets
 * base·(s+1)/warmup), then half-cosine decay to 0 at {@code totalSteps} — the schedule of the CaRot/FLYP
 * reference code. An {@link ISchedule} keyed by DL4J's iteration count, so it lives in the updater of
 * every layer and vertex (DL4J's {@code setLearningRate} reaches only its own layers) and travels with the
 * graph's JSON to Spark workers; the trainer keeps the iteration count equal to the global step.
 */
public final class WarmupCosineSchedule implements ISchedule {

    private static final long serialVersionUID = 1L;

    private final double baseLr;
    private final long warmupSteps;
    private final long totalSteps;

    public WarmupCosineSchedule(@JsonProperty("baseLr") double baseLr, @JsonProperty("warmupSteps") long warmupSteps,
                                @JsonProperty("totalSteps") long totalSteps) {
        if (baseLr <= 0) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + baseLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("bad schedule: warm-up " + warmupSteps + ", total " + totalSteps);
        }
        this.baseLr = baseLr;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    public double at(long step) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        long decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 0) {
            return baseLr;
        }
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        return 0.5 * (1.0 + Math.cos(Math.PI * progress)) * baseLr;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return at(iteration);
    }

    @Override
    public ISchedule clone() {
        return new WarmupCosineSchedule(baseLr, warmupSteps, totalSteps);
    }

    public double getBaseLr() { return baseLr; }
    public long getWarmupSteps() { return warmupSteps; }
    public long getTotalSteps() { return totalSteps; }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupCosineSchedule s && s.baseLr == baseLr && s.warmupSteps == warmupSteps
                && s.totalSteps == totalSteps;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(baseLr) * 31 * 31 + Long.hashCode(warmupSteps) * 31 + Long.hashCode(totalSteps);
    }

    @Override
    public String toString() {
        return "warm-up " + warmupSteps + " steps to " + baseLr + ", cosine to 0 at step " + totalSteps;
    }
}
