package org.carotspark.train;

import org.carotspark.seed.Seeds;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One epoch's deterministic shuffle, cut into per-worker minibatches of exactly
 * {@code perWorkerBatch} examples keyed by batch index. A global step is {@code workers}
 * consecutive batch indices. Batches are formed here, before training, so the training master
 * never re-splits one (its in-batch negatives must stay together); the incomplete tail is dropped.
 */
public final class EpochBatches {

    private EpochBatches() {
    }

    public static JavaPairRDD<Long, List<TrainExample>> of(JavaRDD<TrainExample> examples, int epoch, long seed,
                                                           int perWorkerBatch, long batchesPerEpoch, int partitions) {
        long keep = batchesPerEpoch * perWorkerBatch;
        JavaPairRDD<Long, List<TrainExample>> batches = examples
                .mapToPair(ex -> new Tuple2<>(shuffleKey(seed, epoch, ex.id()), ex))
                .sortByKey(true, partitions)
                .values()
                .zipWithIndex()
                .filter(t -> t._2() < keep)
                .mapToPair(t -> new Tuple2<>(t._2() / perWorkerBatch, new Tuple2<>(t._2(), t._1())))
                .groupByKey(partitions)
                .mapValues(EpochBatches::inShuffleOrder);
        return batches.persist(StorageLevel.MEMORY_AND_DISK());
    }

    private static List<TrainExample> inShuffleOrder(Iterable<Tuple2<Long, TrainExample>> members) {
        List<Tuple2<Long, TrainExample>> sorted = new ArrayList<>();
        members.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(Tuple2::_1));
        List<TrainExample> out = new ArrayList<>(sorted.size());
        sorted.forEach(t -> out.add(t._2()));
        return out;
    }

    /** A sortable, collision-free key: a seeded hash of (id, epoch), then the id itself. */
    static String shuffleKey(long seed, int epoch, String id) {
        return String.format("%016x", Seeds.derive(seed, "shuffle", id, epoch)) + id;
    }
}
