package org.carotspark.eval;

import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.MetricSettings;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * What one pass over a partition's scored examples keeps: the statistics per group and temperature, and one small
 * {@link ReferenceEntry} per example for the reference-ECE ranking, so the images are encoded once. A plain class:
 * Spark's Kryo serializer cannot write record fields.
 */
final class PartitionPass implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HashMap<String, PredictionStats[]> groups = new HashMap<>();
    private final ArrayList<ReferenceEntry> entries = new ArrayList<>();

    static PartitionPass of(Iterator<ScoredExample> it, double[] temperatures, MetricSettings metrics) {
        PartitionPass pass = new PartitionPass();
        while (it.hasNext()) {
            ScoredExample e = it.next();
            DistributedEvaluator.add(pass.groups, e, temperatures, metrics, true);
            if (e.label() >= 0) {
                pass.entries.add(DistributedReferenceEce.entryOf(e, temperatures));
            }
        }
        return pass;
    }

    Iterator<Tuple2<String, PredictionStats[]>> groups() {
        List<Tuple2<String, PredictionStats[]>> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }

    Iterator<ReferenceEntry> entries() {
        return entries.iterator();
    }
}
