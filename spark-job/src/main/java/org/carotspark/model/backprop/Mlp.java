package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The block's MLP {@code proj(f(fc(m)))}; keeps its input, pre- and post-activation for the backward. */
final class Mlp {

    private final MlpNonlinearity nonlinearity;
    private INDArray input;
    private INDArray preActivation;
    private INDArray activation;

    Mlp(MlpNonlinearity nonlinearity) {
        this.nonlinearity = nonlinearity;
    }

    /** {@code m} becomes this MLP's to release when kept. */
    INDArray forward(INDArray m, BlockWeights w, boolean keep) {
        INDArray u = Linear.forward(m, w.fcWeight(), w.fcBias());
        INDArray a = nonlinearity.apply(u);
        INDArray y = Linear.forward(a, w.projWeight(), w.projBias());
        if (keep) {
            input = m;
            preActivation = u;
            activation = a;
        } else {
            OwnedArrays.close(m, u, a);
        }
        return y;
    }

    INDArray backward(INDArray dy, BlockWeights w, BlockWeights grads) {
        INDArray da = Linear.backward(activation, dy, w.projWeight(), grads.projWeight(), grads.projBias());
        nonlinearity.multiplyByDerivative(da, preActivation);
        INDArray dm = Linear.backward(input, da, w.fcWeight(), grads.fcWeight(), grads.fcBias());
        OwnedArrays.close(da);
        release();
        return dm;
    }

    void release() {
        OwnedArrays.close(input, preActivation, activation);
        input = null;
        preActivation = null;
        activation = null;
    }
}
