package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the last axis of {@code [N, W]} rows, PyTorch's (biased variance, epsilon inside the root). One
 * instance is one application: it keeps the normalised rows and their inverse deviations for the backward.
 */
public final class RowLayerNorm {

    private final double epsilon;
    private final ScratchArrays scratch;
    private INDArray normalised;
    private INDArray inverseStd;

    public RowLayerNorm(double epsilon, ScratchArrays scratch) {
        this.epsilon = epsilon;
        this.scratch = scratch;
    }

    /** {@code (x − mean) / sqrt(var + eps) · gain + bias}; with {@code keep} the backward's inputs are kept. */
    public INDArray forward(INDArray x, INDArray gain, INDArray bias, boolean keep) {
        release();
        long n = x.size(0);
        long w = x.size(1);
        INDArray mean = x.mean(true, 1);
        INDArray xhat = scratch.take(x.dataType(), n, w);
        Nd4j.exec(new SubOp(x, mean, xhat));
        // var = ‖x − mean‖² / W: ND4J's variance reduction took four times as long as this norm.
        INDArray rstd = xhat.norm2(true, 1);
        Transforms.pow(rstd.muli(rstd).divi(w).addi(epsilon), -0.5, false);
        xhat.muliColumnVector(rstd);
        INDArray y = scratch.take(x.dataType(), n, w);
        Nd4j.exec(new MulOp(xhat, gain, y));
        y.addiRowVector(bias);
        scratch.give(mean);
        normalised = xhat;
        inverseStd = rstd;
        if (!keep) {
            release();
        }
        return y;
    }

    /**
     * Writes the gain and bias gradients into their views and returns
     * {@code dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂))} with {@code dx̂ = dy ⊙ gain}.
     */
    public INDArray backward(INDArray dy, INDArray gain, INDArray gainGrad, INDArray biasGrad) {
        long n = dy.size(0);
        long w = dy.size(1);
        INDArray work = scratch.take(dy.dataType(), n, w);
        Nd4j.exec(new MulOp(dy, normalised, work));
        Linear.columnSums(scratch, work, gainGrad);
        Linear.columnSums(scratch, dy, biasGrad);
        INDArray dx = scratch.take(dy.dataType(), n, w);
        Nd4j.exec(new MulOp(dy, gain, dx));
        Nd4j.exec(new MulOp(dx, normalised, work));
        INDArray meanProduct = work.mean(true, 1);
        INDArray meanGrad = dx.mean(true, 1);
        Nd4j.exec(new MulOp(normalised, meanProduct, work));
        dx.subiColumnVector(meanGrad).subi(work).muliColumnVector(inverseStd);
        scratch.give(work, meanProduct, meanGrad);
        release();
        return dx;
    }

    public void release() {
        scratch.give(normalised, inverseStd);
        normalised = null;
        inverseStd = null;
    }
}
