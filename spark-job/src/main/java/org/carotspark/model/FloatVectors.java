package org.carotspark.model;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between a graph's flat parameter or optimiser-state vector and a Java {@code float[]} in one block.
 * ND4J's own paths ({@code toFloatVector}, {@code Nd4j.create(float[])}) move one element per indexer call;
 * on a 50 M-parameter model those element loops were the largest Java cost of a parameter-averaging round,
 * ahead of serialization. Arrays that are not a whole, dense float buffer take ND4J's path.
 */
public final class FloatVectors {

    private FloatVectors() {
    }

    /** The values of {@code array} in c order. */
    public static float[] copyOf(INDArray array) {
        FloatPointer p = wholeFloatBuffer(array);
        if (p == null) {
            return array.toFloatVector();
        }
        float[] out = new float[Math.toIntExact(array.length())];
        p.position(0).get(out, 0, out.length);
        return out;
    }

    /** Overwrites {@code target} (any shape, c order) with {@code values}. */
    public static void copyInto(INDArray target, float[] values) {
        if (target.length() != values.length) {
            throw new IllegalArgumentException(values.length + " values for an array of " + target.length());
        }
        FloatPointer p = wholeFloatBuffer(target);
        if (p == null) {
            target.assign(Nd4j.create(values).reshape(target.shape()).castTo(target.dataType()));
            return;
        }
        p.position(0).put(values, 0, values.length);
    }

    /** A pointer to {@code array}'s values when they are exactly one whole float buffer, in c order; else null. */
    private static FloatPointer wholeFloatBuffer(INDArray array) {
        DataBuffer data = array.data();
        boolean whole = array.dataType() == DataType.FLOAT && data.offset() == 0 && array.offset() == 0
                && data.length() == array.length() && (array.isVectorOrScalar() || array.ordering() == 'c');
        if (!whole || !(data.pointer() instanceof FloatPointer p)) {
            return null;
        }
        // A private copy of the pointer: moving its position must not move the buffer's own.
        return new FloatPointer(p);
    }
}
