package org.carotspark.train;

import org.apache.spark.Partitioner;

/** Puts one averaging round's batches on exactly {@code workers} partitions, one worker's share each. */
final class RoundPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;
    private final int workers;

    RoundPartitioner(int workers) {
        this.workers = workers;
    }

    @Override
    public int numPartitions() {
        return workers;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod((Long) key, (long) workers);
    }
}
