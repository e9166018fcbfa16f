package org.carotspark.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Double-precision gradient check of the whole tiny CLIP + CaRot graph. */
class ClipGraphGradientTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void wholeGraphGradientsMatchFiniteDifferences() {
        ClipModelConfig m = TinyClip.config();
        ComputationGraph g = ClipGraphBuilder.build(m, 0.2, 1.5, new NoOp(), 0.0, DataType.DOUBLE);
        TinyClip.randomiseParams(g, 3, 0.3);
        int b = 4;
        INDArray[] in = TinyClip.inputs(b, m, 11, DataType.DOUBLE);
        INDArray[] out = g.output(in);
        assertArrayEquals(new long[]{b, 2 * b}, out[0].shape());
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(in).labels(new INDArray[]{TinyClip.softTargets(b, 5, DataType.DOUBLE)})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check of the whole graph failed");
    }
}
