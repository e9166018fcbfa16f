package org.carotspark.seed;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Every random stream of the project is derived from (run seed, purpose, key, indices) and nothing
 * else — parameter init, caption templates, epoch shuffles, the held-out split, the generator, the
 * bounds experiment — so a run is reproducible whatever task, executor or order it lands on. The hash
 * is SplitMix64's finaliser chained over the seed, the purpose's and key's UTF-8 bytes and the indices:
 * stable across JVMs (unlike {@code String.hashCode} mixing, which collides for short keys).
 */
public final class Seeds {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Separates the key's bytes from the purpose's, so ("ab", "c") and ("a", "bc") differ. */
    private static final long KEY_SEPARATOR = 0x1F;

    private Seeds() {
    }

    /** A 64-bit seed for {@code purpose} (and optional indices) under {@code seed}. */
    public static long derive(long seed, String purpose, long... indices) {
        long h = mixBytes(mix(seed ^ GOLDEN), purpose);
        for (long i : indices) {
            h = mix(h ^ i);
        }
        return h;
    }

    /** A 64-bit seed for a stream keyed by a string, e.g. an image id, and optional indices (the epoch). */
    public static long derive(long seed, String purpose, String key, long... indices) {
        return derive(mixBytes(mix(derive(seed, purpose) ^ KEY_SEPARATOR), key), "", indices);
    }

    public static SplittableRandom random(long seed, String purpose, long... indices) {
        return new SplittableRandom(derive(seed, purpose, indices));
    }

    public static SplittableRandom random(long seed, String purpose, String key, long... indices) {
        return new SplittableRandom(derive(seed, purpose, key, indices));
    }

    /** A uniform number in [0, 1) for (seed, purpose, key): 53 bits of the derived seed. */
    public static double unit(long seed, String purpose, String key) {
        return (derive(seed, purpose, key) >>> 11) * 0x1.0p-53;
    }

    private static long mixBytes(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    private static long mix(long z) {
        z += GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
