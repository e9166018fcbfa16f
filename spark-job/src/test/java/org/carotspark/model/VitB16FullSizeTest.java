package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.carotspark.weights.ClipPresets;
import org.carotspark.weights.ClipTensorLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenAI's ViT-B/16 at full size (random weights, the published shapes): the graph has the published
 * 149.6 M parameters and runs forward and backward on a batch of 2 at 224×224 in the test JVM's memory.
 */
class VitB16FullSizeTest {

    private static final Logger LOG = LoggerFactory.getLogger(VitB16FullSizeTest.class);
    private static final long PUBLISHED_PARAMETERS = 149_620_737L;

    @Test
    void buildsWithThePublishedParameterCountAndTrainsABatchOfTwo() {
        ClipModelConfig m = ClipPresets.vitB16();
        assertEquals(PUBLISHED_PARAMETERS, ClipTensorLayout.parameterCount(m));
        ComputationGraph g = ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new NoOp(),
                WeightDecayPolicy.NONE, DataType.FLOAT);
        assertEquals(PUBLISHED_PARAMETERS, g.params().length());

        int b = 2;
        Random r = new Random(1);
        float[] pixels = new float[b * 3 * 224 * 224];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }
        INDArray images = org.nd4j.linalg.factory.Nd4j.create(pixels, new long[] {b, 3, 224, 224}, 'c');
        float[][] ids = new float[b][77];
        for (int i = 0; i < b; i++) {
            ids[i][0] = 49406;
            for (int j = 1; j <= 5 + i; j++) {
                ids[i][j] = 320 + r.nextInt(40000);
            }
            ids[i][6 + i] = 49407;
        }
        INDArray[] inputs = ClipInputs.of(images, org.nd4j.linalg.factory.Nd4j.createFromArray(ids));

        long t0 = System.nanoTime();
        INDArray probabilities = g.output(false, inputs)[0];
        double forward = (System.nanoTime() - t0) / 1e9;
        assertEquals(2L * b, probabilities.size(1));
        assertEquals(b, probabilities.sumNumber().doubleValue() / 2, 1e-3, "two probability rows per pair");

        g.setInputs(inputs);
        g.setLabels(CarotLoss.noTeacher(b, DataType.FLOAT));
        long t1 = System.nanoTime();
        g.computeGradientAndScore();
        double forwardBackward = (System.nanoTime() - t1) / 1e9;
        // Again, without the first call's graph construction: the steady-state cost per image.
        long t2 = System.nanoTime();
        g.output(false, inputs);
        double forwardAgain = (System.nanoTime() - t2) / 1e9;
        g.setInputs(inputs);
        g.setLabels(CarotLoss.noTeacher(b, DataType.FLOAT));
        long t3 = System.nanoTime();
        g.computeGradientAndScore();
        double forwardBackwardAgain = (System.nanoTime() - t3) / 1e9;
        INDArray grad = g.getGradientsViewArray();
        assertTrue(Double.isFinite(g.score()) && g.score() > 0, "score " + g.score());
        assertTrue(grad.norm2Number().doubleValue() > 0, "gradients reach the parameters");
        LOG.info("ViT-B/16 ({} parameters), batch {} at 224 px, first call / second call: forward {} / {} s per image,"
                        + " forward+backward {} / {} s per image", g.params().length(), b,
                String.format("%.2f", forward / b), String.format("%.2f", forwardAgain / b),
                String.format("%.2f", forwardBackward / b), String.format("%.2f", forwardBackwardAgain / b));
    }
}
