package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code y = x·W + b} over rows, the weight stored for {@code x·W} (PyTorch's {@code Linear.weight} transposed). */
public final class Linear {

    private Linear() {
    }

    /** {@code op(a)·op(b)} into a new row-major array (ND4J's own products come back column-major). */
    static INDArray product(INDArray a, boolean transposeA, INDArray b, boolean transposeB) {
        long rows = transposeA ? a.size(1) : a.size(0);
        long cols = transposeB ? b.size(0) : b.size(1);
        INDArray out = Nd4j.createUninitialized(a.dataType(), rows, cols);
        return Nd4j.gemm(a, b, out, transposeA, transposeB, 1.0, 0.0);
    }

    public static INDArray forward(INDArray x, INDArray weight, INDArray bias) {
        return product(x, false, weight, false).addiRowVector(bias);
    }

    /** Writes {@code dW = xᵀ·dy} and {@code db = Σ_rows dy} into the gradient views; returns {@code dx = dy·Wᵀ}. */
    public static INDArray backward(INDArray x, INDArray dy, INDArray weight, INDArray weightGrad, INDArray biasGrad) {
        Nd4j.gemm(x, dy, weightGrad, true, false, 1.0, 0.0);
        columnSums(dy, biasGrad);
        return product(dy, false, weight, true);
    }

    /** {@code Σ_rows a} into the {@code [1, C]} view {@code into}. */
    static void columnSums(INDArray a, INDArray into) {
        INDArray sums = a.sum(true, 0);
        into.assign(sums);
        OwnedArrays.close(sums);
    }
}
