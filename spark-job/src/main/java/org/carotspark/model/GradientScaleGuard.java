package org.carotspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Work-around for DL4J 1.0.0-M2(.1), where every {@link SameDiffLayer} and {@link SameDiffVertex}
 * back-propagates exactly 2× the true gradient (to its parameters and to its input).
 *
 * <p>The factor is measured once per JVM: a one-matmul probe layer (and probe vertex) is compared
 * with DL4J's own {@link DenseLayer} holding the same weights. If the probe's gradient is 2× the
 * dense one, the factor is ½; if it is equal (bug fixed), the factor is 1 and {@link #apply} is the
 * identity. Custom layers end with {@code apply(sd, y, factor)} = {@code k·y + stopGradient((1−k)·y)}:
 * the forward value is unchanged and every gradient that flows back through the layer is scaled by k,
 * which cancels DL4J's doubling. The CaRot loss layer ({@code SameDiffOutputLayer}) is not affected.
 */
public final class GradientScaleGuard {

    private static final Logger LOG = LoggerFactory.getLogger(GradientScaleGuard.class);

    /** Measured factors, set once per JVM (null until measured). */
    private static final AtomicReference<Double> LAYER_FACTOR = new AtomicReference<>();
    private static final AtomicReference<Double> VERTEX_FACTOR = new AtomicReference<>();

    static {
        // Every JVM that defines a CLIP SameDiff piece comes through here first.
        SameDiffStdoutFilter.install();
        SameDiffArrayReuse.install();
    }

    private GradientScaleGuard() {
    }

    /** Factor to apply at the end of every SameDiffLayer (½ while the DL4J bug is present). */
    public static double layerFactor() {
        return measuredOnce(LAYER_FACTOR, "SameDiffLayer", false);
    }

    /** Factor to apply at the end of every SameDiffVertex (½ while the DL4J bug is present). */
    public static double vertexFactor() {
        return measuredOnce(VERTEX_FACTOR, "SameDiffVertex", true);
    }

    /** The cached factor, else measured now under the class lock (double-checked; a failed measurement stays unset). */
    private static double measuredOnce(AtomicReference<Double> cache, String what, boolean vertex) {
        Double f = cache.get();
        if (f == null) {
            synchronized (GradientScaleGuard.class) {
                f = cache.get();
                if (f == null) {
                    f = toFactor(what, measureRatio(vertex));
                    cache.set(f);
                }
            }
        }
        return f;
    }

    /** {@code k·y + stopGradient((1−k)·y)}: forward value y, gradients scaled by k; y itself when k = 1. */
    public static SDVariable apply(SameDiff sd, SDVariable y, double k) {
        if (k == 1.0) {
            return y;
        }
        SDVariable frozen = new StopGradient(sd, y.mul(1.0 - k)).outputVariable();
        return y.mul(k).add(frozen);
    }

    private static double toFactor(String what, double ratio) {
        double f;
        if (Math.abs(ratio - 2.0) < 1e-6) {
            f = 0.5;
            LOG.info("DL4J {} gradient is 2x the true gradient (measured ratio {}); custom layers scale it by 0.5",
                    what, ratio);
        } else if (Math.abs(ratio - 1.0) < 1e-6) {
            f = 1.0;
            LOG.info("DL4J {} gradient is correct (measured ratio {}); gradient guard is a no-op", what, ratio);
        } else {
            throw new IllegalStateException("unexpected DL4J " + what + " gradient ratio " + ratio
                    + " (expected 1 or 2): refusing to train with unverified gradients");
        }
        return f;
    }

    /** Gradient of a one-matmul SameDiff layer/vertex divided by that of DL4J's DenseLayer, same weights. */
    static double measureRatio(boolean vertex) {
        // Custom layers build their SameDiff graph lazily, inside the first forward pass of the graph
        // that holds them, i.e. inside that graph's workspaces. Workspaces are per thread, so the probe
        // runs on a thread of its own.
        double[] ratio = new double[1];
        Throwable[] error = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                INDArray w = Nd4j.createFromArray(new double[][]{{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}});
                INDArray x = Nd4j.createFromArray(new double[][]{{1.0, 2.0, -1.0}, {0.5, -0.3, 0.8}});
                INDArray y = Nd4j.createFromArray(new double[][]{{0.2, -0.1}, {0.4, 0.3}});
                INDArray probe = gradientOfW(vertex ? "vertex" : "layer", w, x, y);
                INDArray dense = gradientOfW("dense", w, x, y);
                ratio[0] = probe.sumNumber().doubleValue() / dense.sumNumber().doubleValue();
            } catch (Throwable e) {
                error[0] = e;
            }
        }, "carot-gradient-guard-probe");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the DL4J gradient scale", e);
        }
        if (error[0] != null) {
            throw new IllegalStateException("could not measure the DL4J SameDiff gradient scale", error[0]);
        }
        return ratio[0];
    }

    private static INDArray gradientOfW(String kind, INDArray w, INDArray x, INDArray y) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).updater(new NoOp()).graphBuilder().addInputs("in");
        switch (kind) {
            case "vertex" -> b.addVertex("p", new ProbeVertex(), "in");
            case "layer" -> b.addLayer("p", new ProbeLayer(), "in");
            default -> b.addLayer("p", new DenseLayer.Builder().nIn(3).nOut(2).hasBias(false)
                    .activation(Activation.IDENTITY).build(), "in");
        }
        b.addLayer("out", new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), "p")
                .setOutputs("out");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        INDArray param = kind.equals("vertex") ? g.getVertex("p").paramTable(false).get("W") : g.getLayer("p").getParam("W");
        param.assign(w);
        g.setInputs(x.dup());
        g.setLabels(y.dup());
        g.computeGradientAndScore();
        return g.gradient().getGradientFor("p_W").dup();
    }

    /** y = x·W without any guard: the measurement probe. Public with a no-arg constructor for DL4J's JSON. */
    public static final class ProbeLayer extends SameDiffLayer {
        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable in, Map<String, SDVariable> p, SDVariable mask) {
            return in.mmul(p.get("W"));
        }

        @Override
        public void defineParameters(SDLayerParams params) {
            params.addWeightParam("W", 3, 2);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(0.1);
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return InputType.feedForward(2);
        }
    }

    /** y = x·W as a vertex, without any guard. */
    public static final class ProbeVertex extends SameDiffVertex {
        @Override
        public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p,
                                       Map<String, SDVariable> masks) {
            return in.get("x").mmul(p.get("W"));
        }

        @Override
        public void defineParametersAndInputs(SDVertexParams params) {
            params.defineInputs("x");
            params.addWeightParam("W", 3, 2);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> params) {
            params.get("W").assign(0.1);
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
            return InputType.feedForward(2);
        }

        @Override
        public ProbeVertex clone() {
            return new ProbeVertex();
        }
    }
}
