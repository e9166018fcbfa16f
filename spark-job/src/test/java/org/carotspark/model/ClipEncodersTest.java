package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoders run one tower each: measured on a model whose text tower dominates the cost. */
class ClipEncodersTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClipEncodersTest.class);

    private static double medianMs(Supplier<?> f) {
        long[] t = new long[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            f.get();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        return t[2] / 1e6;
    }

    @Test
    void imageEncodingDoesNotPayForTheTextTower() {
        // Image tower: 4 patches, width 16, 1 block. Text tower: 48 tokens, width 64, 4 blocks.
        ClipModelConfig m = new ClipModelConfig(16, 8, 16, 1, 2, 48, 50, 64, 4, 4, 16, 2.659, 5);
        ComputationGraph g = ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new Adam(1e-3), WeightDecayPolicy.matricesOnly(0.1), DataType.FLOAT);
        int b = 16;
        INDArray[] in = TinyClip.inputs(b, m, 1, DataType.FLOAT);
        INDArray img = ClipEncoders.encodeImage(g, in[0]);
        INDArray txt = ClipEncoders.encodeText(g, in[1]);
        assertArrayEquals(new long[]{b, 16}, img.shape());
        assertArrayEquals(new long[]{b, 16}, txt.shape());
        g.output(in);
        double full = medianMs(() -> g.output(in));
        double image = medianMs(() -> ClipEncoders.encodeImage(g, in[0]));
        double text = medianMs(() -> ClipEncoders.encodeText(g, in[1]));
        LOG.info("batch {}: full output() {} ms, encodeImage {} ms, encodeText {} ms", b, full, image, text);
        assertTrue(image < 0.5 * full, "encodeImage " + image + " ms vs full forward " + full + " ms");
        assertTrue(image < 0.5 * text, "encodeImage " + image + " ms vs encodeText " + text + " ms");
        assertEquals(Math.exp(2.659), ClipEncoders.logitScale(g), 1e-4); // stored as float
    }
}
