package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
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
        // Widths 4 (2 heads of 2), 4 patches, context 6: every one of the ~700 parameters is checked.
        ClipModelConfig m = new ClipModelConfig(8, 4, 4, 1, 2, 6, 11, 4, 1, 2, 3,
                ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 7);
        ComputationGraph g = ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new NoOp(), WeightDecayPolicy.NONE, DataType.DOUBLE);
        TinyClip.randomiseParams(g, 3, 0.3);
        int b = 4;
        INDArray[] in = TinyClip.inputs(b, m, 11, DataType.DOUBLE);
        INDArray[] out = g.output(in);
        assertArrayEquals(new long[]{b, 2 * b}, out[0].shape());
        boolean ok = GradientChecks.check(g, in, new INDArray[]{TinyClip.softTargets(b, 5, DataType.DOUBLE)});
        assertTrue(ok, "gradient check of the whole graph failed");
    }
}
