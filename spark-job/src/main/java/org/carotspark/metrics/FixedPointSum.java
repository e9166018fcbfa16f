package org.carotspark.metrics;

import java.io.Serializable;

/**
 * An order-independent sum of non-negative doubles: each value is rounded once to a multiple of
 * 2^−{@code fractionBits} and the multiples are added exactly in a 128-bit integer, so partial sums
 * merged in any order give the bit-identical total (a double sum would differ in its last bits with
 * the order Spark happens to merge partitions in). Values must lie in [0, 2^(63 − fractionBits));
 * with 62 fraction bits a confidence in [0, 1] is held to 2^−63 and 2^64 of them still fit.
 */
public final class FixedPointSum implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final double TWO_64 = 0x1.0p64;

    private final int fractionBits;
    private final double scale;
    private long high;
    private long low;

    public FixedPointSum(int fractionBits) {
        if (fractionBits < 0 || fractionBits > 62) {
            throw new IllegalArgumentException("fraction bits must be 0..62, got " + fractionBits);
        }
        this.fractionBits = fractionBits;
        this.scale = Math.scalb(1.0, fractionBits);
    }

    public void add(double value) {
        double scaled = value * scale;
        if (!(value >= 0.0) || scaled >= 0x1.0p63) {
            throw new IllegalArgumentException("value " + value + " outside [0, 2^" + (63 - fractionBits) + ")");
        }
        addUnits(Math.round(scaled));
    }

    private void addUnits(long units) {
        long sum = low + units;
        if (Long.compareUnsigned(sum, low) < 0) {
            high++;
        }
        low = sum;
    }

    /** Adds {@code other} into this and returns this. */
    public FixedPointSum merge(FixedPointSum other) {
        if (other.fractionBits != fractionBits) {
            throw new IllegalArgumentException("cannot merge sums of " + other.fractionBits + " and " + fractionBits
                    + " fraction bits");
        }
        long sum = low + other.low;
        high += other.high + (Long.compareUnsigned(sum, low) < 0 ? 1 : 0);
        low = sum;
        return this;
    }

    public double value() {
        double unsignedLow = (low >>> 1) * 2.0 + (low & 1L);
        return (high * TWO_64 + unsignedLow) / scale;
    }
}
