package org.carotspark.train;

import java.io.Serializable;

/**
 * Learning rate at a global step: linear warm-up to {@code baseLr} over {@code warmupSteps}
 * (step s gets base·(s+1)/warmup), then half-cosine decay to 0 at {@code totalSteps} — the
 * schedule of the CaRot/FLYP reference code.
 */
public record WarmupCosineSchedule(double baseLr, long warmupSteps, long totalSteps) implements Serializable {

    public WarmupCosineSchedule {
        if (baseLr <= 0) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + baseLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("bad schedule: warm-up " + warmupSteps + ", total " + totalSteps);
        }
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
}
