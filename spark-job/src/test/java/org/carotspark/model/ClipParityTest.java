package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.carotspark.loss.CarotLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forward parity of the DL4J graph against the plain-Java reference {@link ClipReference}. */
class ClipParityTest {

    private static final double TOL = 1e-6;
    private static final double LAMBDA_CROSS = 0.05;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** Two blocks per tower so residual chaining is covered; EOT at every position. */
    static ClipModelConfig config() {
        return new ClipModelConfig(8, 4, 8, 2, 2, 6, 13, 12, 2, 3, 5, ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 3);
    }

    @Test
    void towersOutputsAndScoreMatchTheReference() {
        ClipModelConfig m = config();
        double lambdaOc = 0.2;
        double lambdaSd = 1.5;
        ComputationGraph g = ClipGraphBuilder.build(m, new CarotLoss(lambdaOc, lambdaSd, LAMBDA_CROSS), new NoOp(), WeightDecayPolicy.NONE,
                DataType.DOUBLE);
        TinyClip.randomiseParams(g, 21, 0.3);
        int b = 5;
        INDArray[] in = TinyClip.inputs(b, m, 4, DataType.DOUBLE);
        INDArray targets = TinyClip.softTargets(b, 8, DataType.DOUBLE);
        ClipReference ref = new ClipReference(g, m);

        double[][] img = ref.imageTower(in[0]);
        double[][] txt = ref.textTower(in[1]);
        Map<String, INDArray> acts = g.feedForward(in, false);
        assertClose(img, acts.get(ClipGraphBuilder.VIT), "ViT output");
        assertClose(txt, acts.get(ClipGraphBuilder.TEXT_TRANSFORMER), "text transformer output");

        double[][] fi = ref.projectImage(img);
        double[][] ft = ref.projectText(txt);
        assertClose(fi, ClipEncoders.encodeImage(g, in[0]), "encodeImages");
        assertClose(ft, ClipEncoders.encodeText(g, in[1]), "encodeText");
        assertEquals(ref.logitScale(), ClipEncoders.logitScale(g), 1e-12);

        ClipReference.LossParts parts = ref.loss(fi, ft, ClipReference.mat(targets));
        assertClose(parts.probs(), g.output(in)[0], "output() = [P_img→txt | P_txt→img]");
        double score = g.score(new MultiDataSet(in, new INDArray[]{targets}), false);
        assertEquals(parts.total(lambdaOc, lambdaSd, LAMBDA_CROSS), score, TOL * Math.max(1, Math.abs(score)),
                "score = L");
        // The parts are all of a sensible size, so the comparison above exercises each of them.
        org.junit.jupiter.api.Assertions.assertTrue(parts.clip() > 0.1 && parts.oc() > 0.1 && parts.sd() > 0.1
                && parts.cross() > 0.1, "loss parts " + parts);
        assertEquals(b, g.output(in)[0].sum(1).sumNumber().doubleValue() / 2, 1e-9, "rows of each block sum to 1");
        // Above CLIP's pre-training clamp: fine-tuning leaves the scale free (e^5 ≈ 148), graph and reference alike.
        ClipEncoders.headParam(g, ClipProjectionHead.LOGIT_SCALE).assign(5.0);
        assertEquals(Math.exp(5.0), ClipEncoders.logitScale(g), 1e-9);
        ClipReference.LossParts large = ref.loss(fi, ft, ClipReference.mat(targets));
        assertEquals(large.total(lambdaOc, lambdaSd, LAMBDA_CROSS),
                g.score(new MultiDataSet(in, new INDArray[]{targets}), false),
                TOL * Math.max(1, large.total(lambdaOc, lambdaSd, LAMBDA_CROSS)), "score with the scale e^5");
        assertClose(large.probs(), g.output(in)[0], "output() with the scale e^5");
        assertEquals(CarotLossLayer.PROBS, ((CarotLossLayer) g.getLayer(ClipGraphBuilder.OBJECTIVE).conf()
                .getLayer()).activationsVertexName());
    }

    static void assertClose(double[][] expected, INDArray actual, String what) {
        double[][] a = ClipReference.mat(actual);
        assertEquals(expected.length, a.length, what + " rows");
        double maxErr = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, a[i].length, what + " columns");
            for (int j = 0; j < expected[i].length; j++) {
                maxErr = Math.max(maxErr, Math.abs(expected[i][j] - a[i][j]));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(maxErr < TOL, what + ": max abs error " + maxErr);
    }
}
