package org.carotspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A graph as executors receive it: its configuration JSON and a flat {@code float[]} of
 * parameters (broadcasting an INDArray through Kryo can release the driver's buffer). Executors
 * rebuild the graph once per task thread and snapshot, via {@link #graph()}.
 */
public final class ModelSnapshot implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime());
    /** Graphs are not thread-safe; Spark runs several tasks per executor JVM. */
    private static final ThreadLocal<Map<Long, ComputationGraph>> GRAPHS = ThreadLocal.withInitial(HashMap::new);

    private final long id;
    private final String configurationJson;
    private final float[] params;

    public ModelSnapshot(String configurationJson, float[] params) {
        this.id = NEXT_ID.incrementAndGet();
        this.configurationJson = configurationJson;
        this.params = params;
    }

    public static ModelSnapshot of(ComputationGraph graph) {
        return new ModelSnapshot(graph.getConfiguration().toJson(), flatParams(graph));
    }

    /** A copy of the graph's flat parameter vector, in the graph's own order. */
    public static float[] flatParams(ComputationGraph graph) {
        return graph.params().toFloatVector();
    }

    public static ModelSnapshot of(ComputationGraph graph, float[] params) {
        return new ModelSnapshot(graph.getConfiguration().toJson(), params);
    }

    public float[] params() {
        return params;
    }

    /** This snapshot's graph, built on first use in the calling thread and reused after. */
    public ComputationGraph graph() {
        Map<Long, ComputationGraph> cache = GRAPHS.get();
        ComputationGraph g = cache.get(id);
        if (g == null) {
            cache.clear(); // older snapshots are done with: keep one graph per thread
            g = new ComputationGraph(ComputationGraphConfiguration.fromJson(configurationJson));
            g.init();
            g.setParams(Nd4j.create(params).castTo(g.params().dataType()));
            cache.put(id, g);
        }
        return g;
    }
}
