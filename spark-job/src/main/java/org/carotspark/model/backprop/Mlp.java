package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The block's MLP {@code proj(f(fc(m)))}; keeps its input, pre-activation and activation for the backward. */
final class Mlp {

    private final MlpNonlinearity nonlinearity;
    private final ScratchArrays scratch;
    private INDArray input;
    private INDArray preActivation;
    private MlpNonlinearity.Activated activation;

    Mlp(MlpNonlinearity nonlinearity, ScratchArrays scratch) {
        this.nonlinearity = nonlinearity;
        this.scratch = scratch;
    }

    /** {@code m} becomes this MLP's (kept, or given back to the pool). */
    INDArray forward(INDArray m, BlockWeights w, boolean keep) {
        INDArray u = Linear.forward(scratch, m, w.fcWeight(), w.fcBias());
        MlpNonlinearity.Activated a = nonlinearity.apply(scratch, u);
        INDArray y = Linear.forward(scratch, a.value(), w.projWeight(), w.projBias());
        input = m;
        preActivation = u;
        activation = a;
        if (!keep) {
            release();
        }
        return y;
    }

    INDArray backward(INDArray dy, BlockWeights w, BlockWeights grads) {
        INDArray da = Linear.backward(scratch, activation.value(), dy, w.projWeight(), grads.projWeight(),
                grads.projBias());
        nonlinearity.multiplyByDerivative(scratch, da, preActivation, activation.factor());
        INDArray dm = Linear.backward(scratch, input, da, w.fcWeight(), grads.fcWeight(), grads.fcBias());
        scratch.give(da);
        release();
        return dm;
    }

    void release() {
        scratch.give(input, preActivation);
        if (activation != null) {
            scratch.give(activation.value(), activation.factor());
        }
        input = null;
        preActivation = null;
        activation = null;
    }
}
