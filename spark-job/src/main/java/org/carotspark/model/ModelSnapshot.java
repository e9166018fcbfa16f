package org.carotspark.model;

import org.carotspark.sparkutil.BulkFloatArray;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A graph as executors receive it: its configuration JSON and a flat {@code float[]} of parameters
 * (broadcasting an INDArray through Kryo can release the driver's buffer). Executors keep one graph per
 * configuration and thread ({@link GraphCache}) and copy each new snapshot's parameters into it.
 */
public final class ModelSnapshot implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final AtomicLong NEXT_VERSION = new AtomicLong(System.nanoTime());

    private final long version;
    private final String cacheKey;
    private final String configurationJson;
    private final BulkFloatArray params;

    public ModelSnapshot(String cacheKey, String configurationJson, float[] params) {
        this.version = NEXT_VERSION.incrementAndGet();
        this.cacheKey = cacheKey;
        this.configurationJson = configurationJson;
        this.params = new BulkFloatArray(params);
    }

    /**
     * A snapshot of {@code graph} with {@code params}; {@code role} separates graphs of one configuration that
     * an executor thread uses side by side (the student and its teacher).
     */
    public static ModelSnapshot of(ComputationGraph graph, float[] params, String role) {
        return of(graph.getConfiguration().toJson(), params, role);
    }

    /** A snapshot of the graph configured by {@code configurationJson}, with {@code params}. */
    public static ModelSnapshot of(String configurationJson, float[] params, String role) {
        return new ModelSnapshot(role + "/" + Integer.toHexString(configurationJson.hashCode()) + "/"
                + configurationJson.length(), configurationJson, params);
    }

    public static ModelSnapshot of(ComputationGraph graph, String role) {
        return of(graph, flatParams(graph), role);
    }

    /** A copy of the graph's flat parameter vector, in the graph's own order. */
    public static float[] flatParams(ComputationGraph graph) {
        return FloatVectors.copyOf(graph.params());
    }

    public float[] params() {
        return params.values();
    }

    /** This snapshot's parameters in this thread's graph of its configuration. */
    public ComputationGraph graph() {
        return GraphCache.withParams(cacheKey, configurationJson, version, params.values());
    }
}
