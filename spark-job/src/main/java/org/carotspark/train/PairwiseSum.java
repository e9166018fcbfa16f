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
 * The tree's last level is added on the driver: it receives the two halves' sums ({@link #RESULTS_TO_DRIVER}) rather
 * than the shuffle writing, compressing and reading back both once more to add them on an executor — with two
 * workers there is no shuffle at all.
 */
public final class PairwiseSum {

    /** Partial sums the driver receives: the two halves of the tree. */
    static final int RESULTS_TO_DRIVER = 2;

    private PairwiseSum() {
    }

    public static WorkerResult of(JavaRDD<WorkerResult> perWorker, int workers) {
        JavaPairRDD<Integer, WorkerResult> level = perWorker.mapPartitionsWithIndex((index, results) -> {
            List<Tuple2<Integer, WorkerResult>> tagged = new ArrayList<>();
            results.forEachRemaining(r -> tagged.add(new Tuple2<>(index, r)));
            return tagged.iterator();
        }, true).mapToPair(t -> t);
        int nodes = workers;
        while (nodes > RESULTS_TO_DRIVER) {
            nodes = (nodes + 1) / 2;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / 2, t._2()))
                    .reduceByKey(new HashPartitioner(nodes), WorkerResult::merge);
        }
        List<Tuple2<Integer, WorkerResult>> halves = new ArrayList<>(level.collect());
        if (halves.isEmpty() || halves.size() > RESULTS_TO_DRIVER) {
            throw new IllegalStateException("the round's results summed to " + halves.size() + " values, not "
                    + Math.min(workers, RESULTS_TO_DRIVER));
        }
        halves.sort(java.util.Comparator.comparing(Tuple2::_1));
        WorkerResult sum = halves.get(0)._2();
        return halves.size() == 1 ? sum : sum.merge(halves.get(1)._2());
    }
}
