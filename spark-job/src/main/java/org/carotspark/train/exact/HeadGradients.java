package org.carotspark.train.exact;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The gradient of the global batch's loss with respect to every pair's CLIP head output, by shuffled position,
 * as the driver broadcasts it in exact mode. A plain class, not a record (Kryo cannot write record fields).
 */
final class HeadGradients implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] positions;
    private final float[] values;
    private final int width;

    /** @param positions ascending; {@code gradient} [positions, width] in their order */
    HeadGradients(long[] positions, INDArray gradient) {
        this.positions = positions.clone();
        this.width = (int) gradient.size(1);
        this.values = gradient.ravel().toFloatVector();
        if (gradient.size(0) != positions.length) {
            throw new IllegalArgumentException(positions.length + " positions, " + gradient.size(0) + " rows");
        }
    }

    /** The rows for {@code wanted} positions, in their order: a worker's labels. */
    INDArray rowsFor(long[] wanted) {
        float[] out = new float[wanted.length * width];
        for (int i = 0; i < wanted.length; i++) {
            int at = Arrays.binarySearch(positions, wanted[i]);
            if (at < 0) {
                throw new IllegalStateException("no gradient for the pair at shuffled position " + wanted[i]);
            }
            System.arraycopy(values, at * width, out, i * width, width);
        }
        return Nd4j.create(out, new long[]{wanted.length, width}, 'c');
    }
}
