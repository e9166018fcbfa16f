package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph wiring, JSON round trip (executors rebuild the graph from JSON) and which parameters are decayed. */
class ClipGraphConfigTest {

    @Test
    void inputsOutputsAndJsonRoundTrip() {
        ClipModelConfig m = TinyClip.config();
        ComputationGraphConfiguration conf = ClipGraphBuilder.configuration(m, new CarotLoss(0.2, 1.5, 0.05), new Adam(1e-3), WeightDecayPolicy.matricesOnly(0.1),
                DataType.FLOAT);
        assertEquals(List.of("image", "text", "textIds"), conf.getNetworkInputs());
        assertEquals(List.of(ClipGraphBuilder.OBJECTIVE), conf.getNetworkOutputs());
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);

        ComputationGraph a = new ComputationGraph(conf);
        a.init();
        ComputationGraph b = new ComputationGraph(back);
        b.init();
        assertEquals(a.params(), b.params(), "seeded initialisation is reproducible from the JSON");
        INDArray[] in = TinyClip.inputs(3, m, 2, DataType.FLOAT);
        assertEquals(a.output(in)[0], b.output(in)[0]);
    }

    @Test
    void onlyWeightMatricesAreDecayedOnceAlsoAfterJson() {
        ComputationGraphConfiguration built = ClipGraphBuilder.configuration(TinyClip.config(),
                new CarotLoss(0.2, 1.5, 0.05), new Adam(1e-3), WeightDecayPolicy.matricesOnly(0.1), DataType.FLOAT);
        assertDecay(built, false);
        assertDecay(ComputationGraphConfiguration.fromJson(built.toJson()), false);
    }

    /** The reference's AdamW decays every parameter, each exactly once. */
    @Test
    void everyParameterIsDecayedOnceUnderTheReferencePolicyAlsoAfterJson() {
        ComputationGraphConfiguration built = ClipGraphBuilder.configuration(TinyClip.config(),
                new CarotLoss(0.2, 1.5, 0.05), new Adam(1e-3), WeightDecayPolicy.allParameters(0.1), DataType.FLOAT);
        assertDecay(built, true);
        assertDecay(ComputationGraphConfiguration.fromJson(built.toJson()), true);
    }

    private static boolean isMatrix(String vertexDotParam) {
        String p = vertexDotParam.substring(vertexDotParam.indexOf('.') + 1);
        return vertexDotParam.equals(ClipGraphBuilder.PATCH_EMBED + ".W")
                || p.endsWith("qkvW") || p.endsWith("outW") || p.endsWith("fcW") || p.endsWith("projW")
                || p.equals(ClipProjectionHead.VISUAL_PROJECTION) || p.equals(ClipProjectionHead.TEXT_PROJECTION);
    }

    private static void assertDecay(ComputationGraphConfiguration conf, boolean everyParameter) {
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Map<String, Double> decay = new TreeMap<>();
        for (Map.Entry<String, GraphVertex> e : g.getConfiguration().getVertices().entrySet()) { // what the updater sees
            TrainingConfig tc = e.getValue() instanceof LayerVertex lv ? lv.getLayerConf().getLayer()
                    : e.getValue() instanceof TrainingConfig t ? t : null;
            if (tc == null) {
                continue;
            }
            Map<String, INDArray> params = g.getVertex(e.getKey()).paramTable(false);
            for (String p : params.keySet()) {
                decay.put(e.getKey() + "." + p, coefficient(tc.getRegularizationByParam(p)));
            }
        }
        for (Map.Entry<String, Double> e : decay.entrySet()) {
            assertEquals(everyParameter || isMatrix(e.getKey()) ? 0.1 : 0.0, e.getValue(), 0.0, e.getKey());
        }
        assertTrue(decay.containsKey(ClipGraphBuilder.TOKEN_EMBED + ".W"));
        assertTrue(decay.containsKey(ClipGraphBuilder.TEXT_TRANSFORMER + ".b0qkvW"));
        assertTrue(decay.containsKey(ClipGraphBuilder.CLIP_HEAD + "." + ClipProjectionHead.LOGIT_SCALE));
    }

    /** AdamW semantics: one step with wd differs from one without by exactly −lr·wd·W on the decayed parameters. */
    @Test
    void weightDecayIsDecoupledAndScaledByTheLearningRate() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        for (boolean everyParameter : new boolean[] {false, true}) {
            ClipModelConfig m = TinyClip.config();
            double lr = 1e-2;
            double wd = 0.1;
            ComputationGraph plain = ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new Adam(lr),
                    WeightDecayPolicy.NONE, DataType.DOUBLE);
            ComputationGraph decayed = ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new Adam(lr),
                    new WeightDecayPolicy(wd, everyParameter), DataType.DOUBLE);
            INDArray[] in = TinyClip.inputs(4, m, 1, DataType.DOUBLE);
            MultiDataSet batch = new MultiDataSet(in, new INDArray[]{TinyClip.softTargets(4, 2, DataType.DOUBLE)});
            Map<String, INDArray> before = snapshot(decayed);
            plain.fit(batch);
            decayed.fit(batch);
            Map<String, INDArray> a = snapshot(plain);
            Map<String, INDArray> b = snapshot(decayed);
            for (String k : before.keySet()) {
                INDArray expected = everyParameter || isMatrix(k) ? before.get(k).mul(-lr * wd) : before.get(k).mul(0);
                INDArray actual = b.get(k).sub(a.get(k));
                assertTrue(actual.equalsWithEps(expected, 1e-12), (everyParameter ? "all: " : "matrices: ") + k
                        + ": expected " + expected + " got " + actual);
            }
        }
    }

    private static Map<String, INDArray> snapshot(ComputationGraph g) {
        Map<String, INDArray> out = new TreeMap<>();
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : g.getVertices()) {
            if (v.numParams() > 0 || v.paramTable(false) != null) {
                Map<String, INDArray> t = v.paramTable(false);
                if (t != null) {
                    t.forEach((k, val) -> out.put(v.getVertexName() + "." + k, val.dup()));
                }
            }
        }
        return out;
    }

    private static double coefficient(List<Regularization> regs) {
        double c = 0;
        if (regs != null) {
            for (Regularization r : regs) {
                assertTrue(r instanceof WeightDecay wd && wd.isApplyLR(), "decoupled, lr-scaled weight decay: " + r);
                c += ((WeightDecay) r).getCoeff().valueAt(0, 0);
            }
        }
        return c;
    }
}
