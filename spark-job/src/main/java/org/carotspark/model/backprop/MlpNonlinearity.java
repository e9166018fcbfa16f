package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The transformer MLP's elementwise nonlinearity and its derivative. */
public enum MlpNonlinearity {
    /** {@code u·σ(1.702u)}; derivative {@code σ·(1 + 1.702·u·(1 − σ))}. */
    QUICK_GELU {
        @Override
        INDArray apply(INDArray u) {
            return Transforms.sigmoid(u.mul(QUICK_GELU_SCALE), false).muli(u);
        }

        @Override
        void multiplyByDerivative(INDArray grad, INDArray u) {
            INDArray s = Transforms.sigmoid(u.mul(QUICK_GELU_SCALE), false);
            INDArray d = s.rsub(1.0).muli(u).muli(QUICK_GELU_SCALE).addi(1.0).muli(s);
            grad.muli(d);
            OwnedArrays.close(s, d);
        }
    },
    /** {@code ½u·(1 + erf(u/√2))}; derivative {@code ½(1 + erf(u/√2)) + u·φ(u)}. */
    ERF_GELU {
        @Override
        INDArray apply(INDArray u) {
            return erfOfScaled(u).addi(1.0).muli(u).muli(0.5);
        }

        @Override
        void multiplyByDerivative(INDArray grad, INDArray u) {
            INDArray cdf = erfOfScaled(u).addi(1.0).muli(0.5);
            INDArray density = u.mul(u).muli(-0.5);
            Transforms.exp(density, false).muli(u).muli(1.0 / Math.sqrt(2 * Math.PI));
            grad.muli(cdf.addi(density));
            OwnedArrays.close(cdf, density);
        }
    };

    private static final double QUICK_GELU_SCALE = 1.702;

    /** A new array {@code f(u)}. */
    abstract INDArray apply(INDArray u);

    /** {@code grad ⊙= f'(u)} in place. */
    abstract void multiplyByDerivative(INDArray grad, INDArray u);

    private static INDArray erfOfScaled(INDArray u) {
        INDArray scaled = u.mul(1.0 / Math.sqrt(2.0));
        Nd4j.exec(new Erf(scaled, scaled));
        return scaled;
    }
}
