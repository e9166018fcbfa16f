package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the last axis of {@code [N, W]} rows, PyTorch's (biased variance, epsilon inside the root). One
 * instance is one application: it keeps the normalised rows and their inverse deviations for the backward.
 */
public final class RowLayerNorm {

    private final double epsilon;
    private INDArray normalised;
    private INDArray inverseStd;

    public RowLayerNorm(double epsilon) {
        this.epsilon = epsilon;
    }

    /** {@code (x − mean) / sqrt(var + eps) · gain + bias}; with {@code keep} the backward's inputs are kept. */
    public INDArray forward(INDArray x, INDArray gain, INDArray bias, boolean keep) {
        release();
        INDArray mean = x.mean(true, 1);
        INDArray xhat = x.subColumnVector(mean);
        INDArray variance = x.var(false, 1).reshape(x.size(0), 1);
        INDArray rstd = Transforms.pow(variance.addi(epsilon), -0.5, false);
        xhat.muliColumnVector(rstd);
        INDArray y = xhat.mulRowVector(gain).addiRowVector(bias);
        OwnedArrays.close(mean);
        if (keep) {
            normalised = xhat;
            inverseStd = rstd;
        } else {
            OwnedArrays.close(xhat, rstd);
        }
        return y;
    }

    /**
     * Writes the gain and bias gradients into their views and returns
     * {@code dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂))} with {@code dx̂ = dy ⊙ gain}.
     */
    public INDArray backward(INDArray dy, INDArray gain, INDArray gainGrad, INDArray biasGrad) {
        INDArray scratch = dy.mul(normalised);
        Linear.columnSums(scratch, gainGrad);
        Linear.columnSums(dy, biasGrad);
        INDArray dx = dy.mulRowVector(gain);
        scratch.assign(dx).muli(normalised);
        INDArray meanProduct = scratch.mean(true, 1);
        INDArray meanGrad = dx.mean(true, 1);
        scratch.assign(normalised).muliColumnVector(meanProduct);
        dx.subiColumnVector(meanGrad).subi(scratch).muliColumnVector(inverseStd);
        OwnedArrays.close(scratch, meanProduct, meanGrad);
        release();
        return dx;
    }

    public void release() {
        OwnedArrays.close(normalised, inverseStd);
        normalised = null;
        inverseStd = null;
    }
}
