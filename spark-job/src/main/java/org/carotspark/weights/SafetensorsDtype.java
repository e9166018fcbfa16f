package org.carotspark.weights;

import java.util.Optional;

/**
 * The element types of the safetensors format. Only F32, F16 and BF16 can be read as floats; the
 * others are recognised so that a file holding them (for example the int64 {@code position_ids}
 * buffers of older Hugging Face checkpoints) still opens, and reading one names its type.
 */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean readableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    public static Optional<SafetensorsDtype> parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** IEEE 754 half precision (F16) bits → float, exactly (every half is a float). */
    public static float halfToFloat(int half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f; // also ±0
            return sign != 0 ? -subnormal : subnormal;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13)); // ±inf, NaN keeps its payload
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** bfloat16 bits → float: the upper half of a float32. */
    public static float bfloat16ToFloat(int bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }
}
