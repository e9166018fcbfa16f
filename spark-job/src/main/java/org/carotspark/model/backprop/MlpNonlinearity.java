package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMultiplication;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarReverseSubtraction;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer MLP's elementwise nonlinearity and its derivative. The forward also returns the one
 * transcendental factor the derivative needs (σ or Φ), so the backward does not evaluate it again.
 */
public enum MlpNonlinearity {
    /** {@code u·σ(1.702u)}; derivative {@code σ·(1 + 1.702·u·(1 − σ))}. */
    QUICK_GELU {
        @Override
        Activated apply(ScratchArrays scratch, INDArray u) {
            INDArray gate = scratch.take(u.dataType(), u.shape());
            Nd4j.exec(new ScalarMultiplication(u, null, gate, QUICK_GELU_SCALE));
            Nd4j.exec(new Sigmoid(gate, gate));
            return new Activated(times(scratch, u, gate), gate);
        }

        @Override
        void multiplyByDerivative(ScratchArrays scratch, INDArray grad, INDArray u, INDArray gate) {
            INDArray d = scratch.take(u.dataType(), u.shape());
            Nd4j.exec(new ScalarReverseSubtraction(gate, null, d, 1.0));
            d.muli(u).muli(QUICK_GELU_SCALE).addi(1.0).muli(gate);
            grad.muli(d);
            scratch.give(d);
        }
    },
    /** {@code u·Φ(u)}, {@code Φ(u) = ½(1 + erf(u/√2))}; derivative {@code Φ(u) + u·φ(u)}. */
    ERF_GELU {
        @Override
        Activated apply(ScratchArrays scratch, INDArray u) {
            INDArray cdf = scratch.take(u.dataType(), u.shape());
            Nd4j.exec(new ScalarMultiplication(u, null, cdf, 1.0 / Math.sqrt(2.0)));
            Nd4j.exec(new Erf(cdf, cdf));
            cdf.addi(1.0).muli(0.5);
            return new Activated(times(scratch, u, cdf), cdf);
        }

        @Override
        void multiplyByDerivative(ScratchArrays scratch, INDArray grad, INDArray u, INDArray cdf) {
            INDArray d = times(scratch, u, u);
            d.muli(-0.5);
            Nd4j.exec(new Exp(d, d));
            d.muli(u).muli(1.0 / Math.sqrt(2 * Math.PI)).addi(cdf);
            grad.muli(d);
            scratch.give(d);
        }
    };

    private static final double QUICK_GELU_SCALE = 1.702;

    /** {@code f(u)} and the factor its derivative reuses; both from the pool, the caller's to give back. */
    record Activated(INDArray value, INDArray factor) {
    }

    abstract Activated apply(ScratchArrays scratch, INDArray u);

    /** {@code grad ⊙= f'(u)} in place, {@code factor} from {@link #apply}. */
    abstract void multiplyByDerivative(ScratchArrays scratch, INDArray grad, INDArray u, INDArray factor);

    private static INDArray times(ScratchArrays scratch, INDArray a, INDArray b) {
        INDArray out = scratch.take(a.dataType(), a.shape());
        Nd4j.exec(new MulOp(a, b, out));
        return out;
    }
}
