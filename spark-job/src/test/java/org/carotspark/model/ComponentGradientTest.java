package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.carotspark.train.exact.GivenGradientOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient checks of each custom SameDiff piece on its own (double precision, eps 1e-6, max rel.
 * error 1e-3). These are the tests that fail if {@link GradientScaleGuard} is removed: DL4J M2.1
 * doubles every SameDiffLayer/SameDiffVertex gradient, which shows up here as a relative error of ⅓.
 * Widths are 4 so that checking every parameter entry stays within seconds on two cores.
 */
class ComponentGradientTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).updater(new NoOp()).seed(1);
    }

    private static OutputLayer mse(int nIn) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nIn(nIn).nOut(3).build();
    }

    static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(shape);
    }

    @Test
    void visionTransformerLayerAlone() {
        visionTransformerLayer(MlpActivation.QUICK_GELU);
    }

    /** open_clip's own models: nn.GELU's exact erf form in the MLP. */
    @Test
    void visionTransformerLayerWithGelu() {
        visionTransformerLayer(MlpActivation.GELU);
    }

    @Test
    void textTransformerVertexWithGelu() {
        textTransformerVertex(MlpActivation.GELU);
    }

    private static void visionTransformerLayer(MlpActivation activation) {
        int w = 4;
        int grid = 2;
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("x")
                .addLayer("vit", new VisionTransformerLayer(w, 1, 2, grid, 5, activation), "x")
                .addLayer("out", mse(w), "vit").setOutputs("out").build());
        g.init();
        TinyClip.randomiseParams(g, 1, 0.3);
        int b = 3;
        INDArray x = gaussian(2, b, w, grid, grid);
        assertTrue(GradientChecks.check(g, new INDArray[]{x}, new INDArray[]{gaussian(3, b, 3)}),
                "ViT layer gradient check failed (" + activation + ")");
    }

    @Test
    void textTransformerVertexAlone() {
        textTransformerVertex(MlpActivation.QUICK_GELU);
    }

    private static void textTransformerVertex(MlpActivation activation) {
        ClipModelConfig m = TinyClip.config();
        int w = 4;
        int len = m.contextLength();
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("emb", "ids")
                .addVertex("text", new TextTransformerVertex(w, 1, 2, len, 5, activation), "emb", "ids")
                .addLayer("out", mse(w), "text").setOutputs("out").build());
        g.init();
        TinyClip.randomiseParams(g, 4, 0.3);
        int b = 3;
        INDArray ids = TinyClip.ids(b, m, 6, DataType.DOUBLE);
        assertTrue(GradientChecks.check(g, new INDArray[]{gaussian(7, b, len, w), ids},
                new INDArray[]{gaussian(8, b, 3)}), "text transformer vertex gradient check failed (" + activation + ")");
    }

    /** Vision width 7, text width 5, embedding 4: a head whose projections are not square. */
    private static ClipModelConfig headShapes() {
        return new ClipModelConfig(8, 4, 7, 1, 1, 6, 11, 5, 1, 1, 4, ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 9);
    }

    @Test
    void projectionHeadAlone() {
        ClipModelConfig m = headShapes();
        List<ProjectionPenalty> penalties = new CarotLoss(0.3, 1.5, 0.05).penalties();
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("features")
                .addLayer("head", new ClipProjectionHead(m, penalties), "features")
                .addLayer("out", mse(ClipProjectionHead.outputWidth(m.embedDim(), penalties.size())), "head")
                .setOutputs("out").build());
        g.init();
        TinyClip.randomiseParams(g, 12, 0.3);
        int b = 5;
        assertTrue(GradientChecks.check(g, new INDArray[]{gaussian(10, b, m.visionWidth() + m.textWidth())},
                new INDArray[]{gaussian(13, b, 3)}), "projection head gradient check failed");
    }

    /** The objective owns no parameters: its input gradient is checked through the head's parameters. */
    @Test
    void carotObjectiveThroughTheHead() {
        ClipModelConfig m = headShapes();
        CarotLoss objective = new CarotLoss(0.3, 1.5, 0.05);
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("features")
                .addLayer("head", new ClipProjectionHead(m, objective.penalties()), "features")
                .addLayer("objective", objective.outputLayer(m.embedDim()), "head")
                .setOutputs("objective").build());
        g.init();
        int b = 5;
        assertTrue(GradientChecks.check(g, new INDArray[]{gaussian(10, b, m.visionWidth() + m.textWidth())},
                new INDArray[]{TinyClip.softTargets(b, 11, DataType.DOUBLE)}), "CaRot objective gradient check failed");
    }

    /** The FT / LP-FT baselines' normalised image features. */
    @Test
    void imageProjectionAlone() {
        ClipModelConfig m = headShapes();
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("features")
                .addLayer("image", new ClipImageProjection(m), "features")
                .addLayer("out", mse(m.embedDim()), "image")
                .setOutputs("out").build());
        g.init();
        TinyClip.randomiseParams(g, 15, 0.3);
        int b = 5;
        assertTrue(GradientChecks.check(g, new INDArray[]{gaussian(16, b, m.visionWidth())},
                new INDArray[]{gaussian(17, b, 3)}), "image projection gradient check failed");
    }

    /** Exact mode's stand-in objective: back-propagation from the labels as the gradient of the head's output. */
    @Test
    void givenGradientOutputThroughTheHead() {
        ClipModelConfig m = headShapes();
        List<ProjectionPenalty> penalties = new CarotLoss(0.3, 1.5, 0.05).penalties();
        int width = ClipProjectionHead.outputWidth(m.embedDim(), penalties.size());
        ComputationGraph g = new ComputationGraph(base().graphBuilder().addInputs("features")
                .addLayer("head", new ClipProjectionHead(m, penalties), "features")
                .addLayer("given", new GivenGradientOutputLayer(width), "head")
                .setOutputs("given").build());
        g.init();
        TinyClip.randomiseParams(g, 12, 0.3);
        int b = 5;
        assertTrue(GradientChecks.check(g, new INDArray[]{gaussian(10, b, m.visionWidth() + m.textWidth())},
                new INDArray[]{gaussian(14, b, width)}), "given-gradient output layer gradient check failed");
    }
}
