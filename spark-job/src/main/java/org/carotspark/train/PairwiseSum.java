package org.carotspark.train;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * Sums the workers' results of a round on the executors in a fixed binary tree — (0+1), (2+3), ... then
 * the sums of those — so the floating-point result does not depend on which task finished first (Spark's
 * treeAggregate folds partial results in arrival order). Each level merges exactly two values per key, and
 * adding two numbers is commutative, so a rerun reproduces the parameters bit for bit whatever the cluster.
 * The driver receives one summed result.
 */
final class PairwiseSum {

    private PairwiseSum() {
    }

    static WorkerResult of(JavaRDD<WorkerResult> perWorker, int workers) {
        JavaPairRDD<Integer, WorkerResult> level = perWorker.mapPartitionsWithIndex((index, results) -> {
            List<Tuple2<Integer, WorkerResult>> tagged = new ArrayList<>();
            results.forEachRemaining(r -> tagged.add(new Tuple2<>(index, r)));
            return tagged.iterator();
        }, true).mapToPair(t -> t);
        int nodes = workers;
        while (nodes > 1) {
            nodes = (nodes + 1) / 2;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / 2, t._2()))
                    .reduceByKey(new HashPartitioner(nodes), WorkerResult::merge);
        }
        List<WorkerResult> sum = level.values().collect();
        if (sum.size() != 1) {
            throw new IllegalStateException("the round's results summed to " + sum.size() + " values, not 1");
        }
        return sum.get(0);
    }
}
