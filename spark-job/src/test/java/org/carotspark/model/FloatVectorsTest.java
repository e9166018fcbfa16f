package org.carotspark.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FloatVectorsTest {

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f - 3f;
        }
        return v;
    }

    @Test
    void copiesAWholeVectorOutAndIn() {
        INDArray row = Nd4j.rand(DataType.FLOAT, 1, 1000);
        assertArrayEquals(row.toFloatVector(), FloatVectors.copyOf(row), 0f);
        float[] v = ramp(1000);
        FloatVectors.copyInto(row, v);
        assertArrayEquals(v, row.toFloatVector(), 0f);
    }

    /** The bulk path writes c order, as Nd4j.create(values).reshape(shape) does. */
    @Test
    void fillsAMatrixInCOrder() {
        INDArray m = Nd4j.zeros(DataType.FLOAT, 3, 4);
        FloatVectors.copyInto(m, ramp(12));
        assertEquals(Nd4j.create(ramp(12)).reshape(3, 4), m);
        assertEquals(-2.5f, m.getFloat(0, 1), 0f);
        assertEquals(-1f, m.getFloat(1, 0), 0f);
    }

    /** Views into a larger buffer and non-float arrays take ND4J's own path and leave the rest untouched. */
    @Test
    void viewsAndDoublesTakeNd4jsPath() {
        INDArray whole = Nd4j.zeros(DataType.FLOAT, 1, 10);
        INDArray middle = whole.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 7));
        FloatVectors.copyInto(middle, new float[] {1, 2, 3, 4});
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 4, 0, 0, 0}, whole.toFloatVector(), 0f);
        assertArrayEquals(new float[] {1, 2, 3, 4}, FloatVectors.copyOf(middle), 0f);

        INDArray d = Nd4j.zeros(DataType.DOUBLE, 1, 5);
        FloatVectors.copyInto(d, ramp(5));
        assertArrayEquals(ramp(5), FloatVectors.copyOf(d), 0f);
        assertEquals(DataType.DOUBLE, d.dataType());
    }

    @Test
    void refusesAWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> FloatVectors.copyInto(Nd4j.zeros(DataType.FLOAT, 1, 4),
                new float[3]));
    }
}
