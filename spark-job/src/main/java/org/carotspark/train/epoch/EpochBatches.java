package org.carotspark.train.epoch;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.storage.StorageLevel;
import org.carotspark.train.minibatch.TrainExample;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;

/**
 * One epoch's examples keyed by shuffled position and partitioned by (round, worker) as {@link EpochPlan}
 * lays them out, cached for the epoch. A round reads only its own {@code workers} partitions (partition
 * pruning: no scan of the other rounds' data), and the examples past the last full global batch are dropped.
 */
public final class EpochBatches {

    private final JavaPairRDD<Long, TrainExample> partitioned;
    private final EpochPlan plan;

    private EpochBatches(JavaPairRDD<Long, TrainExample> partitioned, EpochPlan plan) {
        this.partitioned = partitioned;
        this.plan = plan;
    }

    public static EpochBatches of(JavaRDD<TrainExample> examples, EpochPlan plan, Broadcast<EpochShuffle> shuffle) {
        long keep = plan.examples();
        JavaPairRDD<Long, TrainExample> byPosition = examples
                .mapToPair(ex -> new Tuple2<>(shuffle.value().position(ex.id()), ex))
                .filter(t -> t._1() < keep)
                .partitionBy(new RoundWorkerPartitioner(plan))
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new EpochBatches(byPosition, plan);
    }

    /** The examples of round {@code round}: partition w holds worker w's minibatches, in any order. */
    public JavaPairRDD<Long, TrainExample> round(int round) {
        int first = round * plan.workers();
        int end = first + plan.workers();
        PartitionPruningRDD<Tuple2<Long, TrainExample>> pruned = PartitionPruningRDD.create(partitioned.rdd(),
                new PartitionRange(first, end));
        return JavaPairRDD.fromRDD(pruned, ClassTag$.MODULE$.apply(Long.class),
                ClassTag$.MODULE$.apply(TrainExample.class));
    }

    /**
     * The examples of round {@code round} moved into exactly {@code workers} partitions of their own (partition w:
     * worker w's minibatches), through a shuffle: a barrier stage may not read a pruned or cached RDD of another
     * partition count in the same stage, so the shuffle is where its stage begins.
     */
    public JavaPairRDD<Long, TrainExample> roundForBarrierStage(int round) {
        return round(round).partitionBy(new WorkerPartitioner(plan));
    }

    /** Drops the epoch's cached partitions. */
    public void release() {
        partitioned.unpersist(false);
    }

    /** (round, worker) → partition, as {@link EpochPlan#partitionOf}. */
    static final class RoundWorkerPartitioner extends Partitioner {

        private static final long serialVersionUID = 1L;
        private final EpochPlan plan;

        RoundWorkerPartitioner(EpochPlan plan) {
            this.plan = plan;
        }

        @Override
        public int numPartitions() {
            return plan.partitions();
        }

        @Override
        public int getPartition(Object position) {
            return plan.partitionOf((Long) position);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RoundWorkerPartitioner p && p.plan.equals(plan);
        }

        @Override
        public int hashCode() {
            return plan.hashCode();
        }
    }

    /** Shuffled position → the worker that trains it, as {@link EpochPlan} assigns minibatches. */
    static final class WorkerPartitioner extends Partitioner {

        private static final long serialVersionUID = 1L;
        private final int workers;
        private final int perWorkerBatch;

        WorkerPartitioner(EpochPlan plan) {
            this.workers = plan.workers();
            this.perWorkerBatch = plan.perWorkerBatch();
        }

        @Override
        public int numPartitions() {
            return workers;
        }

        @Override
        public int getPartition(Object position) {
            return (int) (((Long) position / perWorkerBatch) % workers);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WorkerPartitioner p && p.workers == workers && p.perWorkerBatch == perWorkerBatch;
        }

        @Override
        public int hashCode() {
            return 31 * workers + perWorkerBatch;
        }
    }

    /** Keeps partitions {@code [first, end)}. */
    private static final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {

        private static final long serialVersionUID = 1L;
        private final int first;
        private final int end;

        PartitionRange(int first, int end) {
            this.first = first;
            this.end = end;
        }

        @Override
        public Object apply(Object partition) {
            int p = (Integer) partition;
            return p >= first && p < end;
        }
    }
}
