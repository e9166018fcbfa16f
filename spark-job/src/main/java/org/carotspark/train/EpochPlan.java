package org.carotspark.train;

import java.io.Serializable;

/**
 * How one epoch's shuffled examples map onto optimisation steps, workers and averaging rounds. The
 * example at shuffled position p belongs to minibatch b = p / perWorker, which worker b mod workers trains at
 * step b / workers of the epoch; k consecutive steps form one averaging round. A round's minibatches of one
 * worker form one Spark partition, so a round is {@code workers} partitions of the epoch's RDD.
 */
public record EpochPlan(int epoch, long firstStep, long steps, int workers, int perWorkerBatch,
                        int averagingFrequency) implements Serializable {

    public EpochPlan {
        if (steps < 1 || workers < 1 || perWorkerBatch < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("bad epoch plan: " + steps + " steps, " + workers + " workers x "
                    + perWorkerBatch + ", rounds of " + averagingFrequency);
        }
    }

    /** Examples the epoch trains on; the rest of the shuffle is dropped (incomplete last global batch). */
    public long examples() {
        return steps * workers * perWorkerBatch;
    }

    public int rounds() {
        return Math.toIntExact((steps + averagingFrequency - 1) / averagingFrequency);
    }

    public int partitions() {
        return Math.multiplyExact(rounds(), workers);
    }

    /** Steps in round {@code round}: {@code k}, fewer in the epoch's last round. */
    public int roundSteps(int round) {
        return (int) Math.min(averagingFrequency, steps - (long) round * averagingFrequency);
    }

    /** The round that starts at global step {@code step} of this epoch (a checkpoint lies on a round boundary). */
    public int roundAt(long step) {
        long inEpoch = step - firstStep;
        if (inEpoch <= 0) {
            return 0;
        }
        if (inEpoch % averagingFrequency != 0) {
            throw new IllegalStateException("step " + step + " is not on a round boundary of epoch " + epoch);
        }
        return (int) (inEpoch / averagingFrequency);
    }

    /** The global step a round starts at. */
    public long firstStepOfRound(int round) {
        return firstStep + (long) round * averagingFrequency;
    }

    /** The epoch partition holding the example at shuffled position {@code position}. */
    public int partitionOf(long position) {
        long minibatch = position / perWorkerBatch;
        long stepInEpoch = minibatch / workers;
        int worker = (int) (minibatch % workers);
        int round = (int) (stepInEpoch / averagingFrequency);
        return round * workers + worker;
    }

    /** The global step at which the example at {@code position} is trained. */
    public long stepOf(long position) {
        return firstStep + position / perWorkerBatch / workers;
    }
}
