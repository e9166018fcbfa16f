package org.carotspark.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The graphs an executor thread keeps between rounds and snapshots: one per configuration, built once
 * and then only given new parameters. A graph is built around the first parameters it receives, so
 * DL4J's initialisers never run for weights that are about to be replaced. Graphs are not thread-safe
 * and Spark runs several tasks per executor JVM, hence one cache per thread.
 */
public final class GraphCache {

    private static final ThreadLocal<Map<String, Entry>> GRAPHS = ThreadLocal.withInitial(HashMap::new);
    /** How many graphs this JVM has built (tests check that rounds reuse them). */
    private static final AtomicLong BUILT = new AtomicLong();

    private GraphCache() {
    }

    private static final class Entry {
        final ComputationGraph graph;
        long paramsVersion;

        Entry(ComputationGraph graph, long paramsVersion) {
            this.graph = graph;
            this.paramsVersion = paramsVersion;
        }
    }

    /**
     * This thread's graph of {@code configurationJson} holding {@code params}; {@code key} is
     * {@code <role>/<configuration id>}. {@code paramsVersion}
     * identifies the parameters: when it equals the version the cached graph already holds, the copy is
     * skipped (a teacher snapshot is used for many minibatches).
     */
    public static ComputationGraph withParams(String key, String configurationJson, long paramsVersion, float[] params) {
        Map<String, Entry> cache = GRAPHS.get();
        Entry e = cache.get(key);
        if (e == null) {
            // One graph per role and thread: a new configuration for a role (the next method) replaces the old.
            String role = key.substring(0, key.indexOf('/') + 1);
            cache.keySet().removeIf(k -> !role.isEmpty() && k.startsWith(role));
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(configurationJson);
            ComputationGraph g = new ComputationGraph(conf);
            // A parameter array given to init() becomes the graph's flat view; no initialiser runs.
            g.init(Nd4j.create(params).reshape(1, params.length).castTo(conf.getDataType()), false);
            BUILT.incrementAndGet();
            cache.put(key, new Entry(g, paramsVersion));
            return g;
        }
        if (e.paramsVersion != paramsVersion) {
            INDArray view = e.graph.params();
            if (view.length() != params.length) {
                throw new IllegalArgumentException(params.length + " parameters for a graph of " + view.length());
            }
            FloatVectors.copyInto(view, params);
            e.paramsVersion = paramsVersion;
        }
        return e.graph;
    }

    /** Graphs built by this JVM so far. */
    public static long graphsBuilt() {
        return BUILT.get();
    }
}
