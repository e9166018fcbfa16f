package org.carotspark.testing;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.TreeMap;

/** A graph's parameters by "vertex.param", copied: what tests compare before and after a step. */
public final class GraphParameters {

    private GraphParameters() {
    }

    public static Map<String, INDArray> of(ComputationGraph g) {
        Map<String, INDArray> out = new TreeMap<>();
        for (GraphVertex v : g.getVertices()) {
            Map<String, INDArray> t = v.paramTable(false);
            if (t != null) {
                t.forEach((k, val) -> out.put(v.getVertexName() + "." + k, val.dup()));
            }
        }
        return out;
    }
}
