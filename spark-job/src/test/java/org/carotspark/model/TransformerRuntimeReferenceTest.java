package org.carotspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The towers' written-out forward and backward against DL4J's SameDiff execution of the same definitions
 * ({@code defineLayer}, {@code defineVertex}) on the same parameters, in double precision: outputs, input gradients
 * and every parameter's gradient entry by entry (SameDiff's doubling is cancelled by {@link GradientScaleGuard} in
 * the definitions). Two blocks and two heads, so block order and head layout matter; random parameters, not the
 * initialisation's zero biases; the compared step is the runtime's second, so reused intermediates must not leak
 * values from the first.
 */
class TransformerRuntimeReferenceTest {

    private static final double TOLERANCE = 1e-9;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void visionTowerMatchesSameDiff(MlpActivation activation) {
        int w = 8;
        int grid = 2;
        int b = 3;
        VisionTransformerLayer spec = new VisionTransformerLayer(w, 2, 2, grid, 5, activation);
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(spec)
                .build();
        INDArray params = random(11, 1, spec.initializer().numParams(conf)).muli(0.3);
        Layer runtime = spec.instantiate(conf, null, 0, params, false, DataType.DOUBLE);
        Layer reference = spec.instantiateSameDiff(conf, 0, params, false, DataType.DOUBLE);
        INDArray x = random(12, b, w, grid, grid);
        INDArray eps = random(13, b, w);

        runLayer(runtime, random(14, b, w, grid, grid), random(15, b, w));   // its pooled arrays now hold stale values
        Result mine = runLayer(runtime, x, eps);
        Result theirs = runLayer(reference, x, eps);
        compare(theirs, mine, "vit " + activation);
        assertEquals(spec.initializer().numParams(conf), mine.paramGrads.values().stream().mapToLong(INDArray::length)
                .sum(), "every parameter has a gradient");
    }

    /** A backward after a forward on other inputs recomputes the forward for the input it is given. */
    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void visionBackwardAfterAnInferenceForwardUsesTheCurrentInput(MlpActivation activation) {
        int w = 8;
        VisionTransformerLayer spec = new VisionTransformerLayer(w, 1, 2, 2, 5, activation);
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).layer(spec)
                .build();
        INDArray params = random(21, 1, spec.initializer().numParams(conf)).muli(0.3);
        Layer runtime = spec.instantiate(conf, null, 0, params, false, DataType.DOUBLE);
        Layer reference = spec.instantiate(conf, null, 0, params, false, DataType.DOUBLE);
        INDArray x = random(22, 2, w, 2, 2);
        INDArray other = random(23, 2, w, 2, 2);
        INDArray eps = random(24, 2, w);
        runtime.setBackpropGradientsViewArray(Nd4j.create(DataType.DOUBLE, params.shape()));
        runtime.activate(other, true, NO_WORKSPACES);
        runtime.activate(x, false, NO_WORKSPACES);
        Pair<Gradient, INDArray> after = runtime.backpropGradient(eps, NO_WORKSPACES);
        Result fresh = runLayer(reference, x, eps);
        assertClose(fresh.inputGrads[0], after.getSecond(), "input gradient");
        assertClose(fresh.flatGrads, runtime.getGradientsViewArray(), "parameter gradients");
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void textTowerMatchesSameDiff(MlpActivation activation) {
        ClipModelConfig m = TinyClip.config();
        int w = 8;
        int len = m.contextLength();
        int b = 3;
        TextTransformerVertex spec = new TextTransformerVertex(w, 2, 2, len, 5, activation);
        spec.setDataType(DataType.DOUBLE);
        long n = spec.numParams(false);
        INDArray params = random(31, 1, n).muli(0.3);
        GraphVertex runtime = spec.instantiate(null, "text", 0, params, false, DataType.DOUBLE);
        GraphVertex reference = spec.instantiateSameDiff(null, "text", 0, params, false, DataType.DOUBLE);
        INDArray emb = random(32, b, len, w);
        INDArray ids = TinyClip.ids(b, m, 6, DataType.DOUBLE);
        INDArray eps = random(33, b, w);

        runVertex(runtime, n, random(34, b, len, w), TinyClip.ids(b, m, 7, DataType.DOUBLE), random(35, b, w));
        Result mine = runVertex(runtime, n, emb, ids, eps);
        Result theirs = runVertex(reference, n, emb, ids, eps);
        compare(theirs, mine, "text " + activation);
        assertTrue(mine.inputGrads[1].eq(0.0).all(), "ids get no gradient");
    }

    private record Result(INDArray output, INDArray[] inputGrads, Map<String, INDArray> paramGrads,
                          INDArray flatGrads) {
    }

    private static Result runLayer(Layer layer, INDArray x, INDArray eps) {
        INDArray gradView = Nd4j.create(DataType.DOUBLE, layer.params().shape());
        layer.setBackpropGradientsViewArray(gradView);
        INDArray out = layer.activate(x, true, NO_WORKSPACES).dup();
        Pair<Gradient, INDArray> g = layer.backpropGradient(eps, NO_WORKSPACES);
        return new Result(out, new INDArray[]{g.getSecond().dup()}, copies(g.getFirst()), gradView.dup());
    }

    private static Result runVertex(GraphVertex vertex, long n, INDArray emb, INDArray ids, INDArray eps) {
        INDArray gradView = Nd4j.create(DataType.DOUBLE, 1, n);
        vertex.setBackpropGradientsViewArray(gradView);
        vertex.setInputs(emb, ids);
        INDArray out = vertex.doForward(true, NO_WORKSPACES).dup();
        vertex.setEpsilon(eps);
        Pair<Gradient, INDArray[]> g = vertex.doBackward(false, NO_WORKSPACES);
        return new Result(out, new INDArray[]{g.getSecond()[0].dup(), g.getSecond()[1].dup()}, copies(g.getFirst()),
                gradView.dup());
    }

    private static Map<String, INDArray> copies(Gradient g) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        g.gradientForVariable().forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }

    private static void compare(Result expected, Result actual, String what) {
        assertClose(expected.output, actual.output, what + " output");
        assertClose(expected.inputGrads[0], actual.inputGrads[0], what + " input gradient");
        assertEquals(expected.paramGrads.keySet(), actual.paramGrads.keySet(), what + " gradient keys");
        for (String k : expected.paramGrads.keySet()) {
            assertClose(expected.paramGrads.get(k), actual.paramGrads.get(k), what + " gradient of " + k);
            assertTrue(actual.paramGrads.get(k).amaxNumber().doubleValue() > 0, what + " gradient of " + k + " is 0");
        }
        assertClose(expected.flatGrads, actual.flatGrads, what + " gradient view");
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE * Math.max(1.0, scale), what + ": max |difference| " + diff + " (scale "
                + scale + ")");
    }

    private static INDArray random(long seed, long... shape) {
        return ComponentGradientTest.gaussian(seed, shape);
    }
}
