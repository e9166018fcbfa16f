package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code y = x·W + b} over rows, the weight stored for {@code x·W} (PyTorch's {@code Linear.weight} transposed). */
public final class Linear {

    private Linear() {
    }

    /** {@code op(a)·op(b)} into a row-major array from the pool (ND4J's own products come back column-major). */
    static INDArray product(ScratchArrays scratch, INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        long rows = transposeA ? a.size(1) : a.size(0);
        long cols = transposeB ? b.size(0) : b.size(1);
        INDArray out = scratch.take(a.dataType(), rows, cols);
        return Nd4j.gemm(a, b, out, transposeA, transposeB, 1.0, 0.0);
    }

    static INDArray forward(ScratchArrays scratch, INDArray x, INDArray weight, INDArray bias) {
        return product(scratch, x, false, weight, false).addiRowVector(bias);
    }

    /** Writes {@code dW = xᵀ·dy} and {@code db = Σ_rows dy} into the gradient views; returns {@code dx = dy·Wᵀ}. */
    static INDArray backward(ScratchArrays scratch, INDArray x, INDArray dy, INDArray weight, INDArray weightGrad,
                             INDArray biasGrad) {
        Nd4j.gemm(x, dy, weightGrad, true, false, 1.0, 0.0);
        columnSums(scratch, dy, biasGrad);
        return product(scratch, dy, false, weight, true);
    }

    /**
     * {@code Σ_rows a} of a {@code [N, C]} array into {@code into} (any shape of C entries). As a product with a row
     * of ones: ND4J's reduction along rows strides through memory and was as slow as the layer's matrix products.
     */
    public static void columnSums(ScratchArrays scratch, INDArray a, INDArray into) {
        INDArray ones = scratch.take(a.dataType(), 1, a.size(0)).assign(1.0);
        INDArray sums = product(scratch, ones, false, a, false);
        into.assign(sums.reshape(into.shape()));
        scratch.give(ones, sums);
    }
}
