package org.carotspark.bounds;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random stream of the experiment is derived from (seed, purpose) and nothing else, so a run
 * is reproducible whatever task, executor or order it lands on.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A 64-bit seed for {@code purpose} under {@code seed}: SplitMix64 finaliser over both, stable across JVMs. */
    public static long derive(long seed, String purpose) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    public static SplittableRandom random(long seed, String purpose) {
        return new SplittableRandom(derive(seed, purpose));
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
