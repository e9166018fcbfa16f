package org.carotspark.model;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard's measurement and its mechanics. The end-to-end proof that the guard is needed and
 * correct is {@link ComponentGradientTest} / {@link ClipGraphGradientTest}: remove the guard and
 * their gradient checks fail (analytic = 2 × numeric while DL4J has the bug).
 */
class GradientScaleGuardTest {

    @Test
    void measuredFactorUndoesTheMeasuredRatio() {
        double layerRatio = GradientScaleGuard.measureRatio(false);
        double vertexRatio = GradientScaleGuard.measureRatio(true);
        assertTrue(Math.abs(layerRatio - 2) < 1e-9 || Math.abs(layerRatio - 1) < 1e-9, "layer ratio " + layerRatio);
        assertTrue(Math.abs(vertexRatio - 2) < 1e-9 || Math.abs(vertexRatio - 1) < 1e-9, "vertex ratio " + vertexRatio);
        assertEquals(1.0, layerRatio * GradientScaleGuard.layerFactor(), 1e-9);
        assertEquals(1.0, vertexRatio * GradientScaleGuard.vertexFactor(), 1e-9);
    }

    @Test
    void applyKeepsTheValueAndScalesTheGradient() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(new double[][]{{1.0, -2.0}, {0.5, 3.0}}));
        SDVariable x = sd.constant("x", Nd4j.createFromArray(new double[][]{{2.0, 1.0}}));
        SDVariable y = GradientScaleGuard.apply(sd, x.mmul(w), 0.5);
        SDVariable loss = y.sum();
        sd.setLossVariables(loss);
        assertEquals(2.0 * 1 + 1 * 0.5 + 2 * -2 + 1 * 3, loss.eval().getDouble(0), 1e-12);
        Map<String, INDArray> grads = sd.calculateGradients(null, "w");
        // d(sum(x·w))/dw = xᵀ·1 = [[2,2],[1,1]]; halved by the guard.
        assertEquals(Nd4j.createFromArray(new double[][]{{1.0, 1.0}, {0.5, 0.5}}), grads.get("w").castTo(DataType.DOUBLE));
        SameDiff sd2 = SameDiff.create();
        SDVariable v = sd2.var("v", Nd4j.ones(DataType.DOUBLE, 2));
        assertTrue(GradientScaleGuard.apply(sd2, v, 1.0) == v, "factor 1 is the identity");
    }
}
