package org.carotspark.weights;

import java.util.Arrays;

/** One entry of a safetensors header: name, element type, shape and byte range within the data section. */
public final class TensorInfo {

    private final String name;
    private final SafetensorsDtype dtype;
    private final long[] shape;
    private final long begin;
    private final long end;

    public TensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.begin = begin;
        this.end = end;
    }

    public String name() {
        return name;
    }

    public SafetensorsDtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Product of the shape; 1 for a scalar (shape []). */
    public long elementCount() {
        return elementCount(shape);
    }

    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** First byte, relative to the start of the data section. */
    public long begin() {
        return begin;
    }

    /** One past the last byte, relative to the start of the data section. */
    public long end() {
        return end;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
