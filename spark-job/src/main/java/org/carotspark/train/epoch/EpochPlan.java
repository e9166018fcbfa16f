package org.carotspark.train.epoch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * How one epoch's shuffled examples map onto optimisation steps, workers and rounds. The example at shuffled
 * position p belongs to minibatch b = p / perWorker, which worker b mod workers trains at step b / workers of the
 * epoch. Consecutive steps form rounds: k at a time for parameter averaging, or segments cut where the run needs
 * the driver (collective mode: EMA updates, checkpoints). A round's minibatches of one worker form one Spark
 * partition, so a round is {@code workers} partitions of the epoch's RDD.
 */
public final class EpochPlan implements Serializable {

    private static final long serialVersionUID = 2L;

    private final int epoch;
    private final long firstStep;
    private final long steps;
    private final int workers;
    private final int perWorkerBatch;
    /** Each round's first step, counted from the epoch's first, ascending, starting at 0. */
    private final long[] roundStarts;

    /** Rounds of {@code roundSteps} steps (the last may be shorter). */
    public EpochPlan(int epoch, long firstStep, long steps, int workers, int perWorkerBatch, int roundSteps) {
        this(epoch, firstStep, steps, workers, perWorkerBatch, fixedRounds(steps, roundSteps));
    }

    private EpochPlan(int epoch, long firstStep, long steps, int workers, int perWorkerBatch, long[] roundStarts) {
        if (steps < 1 || workers < 1 || perWorkerBatch < 1) {
            throw new IllegalArgumentException("bad epoch plan: " + steps + " steps, " + workers + " workers x "
                    + perWorkerBatch);
        }
        this.epoch = epoch;
        this.firstStep = firstStep;
        this.steps = steps;
        this.workers = workers;
        this.perWorkerBatch = perWorkerBatch;
        this.roundStarts = roundStarts;
    }

    private static long[] fixedRounds(long steps, int roundSteps) {
        if (roundSteps < 1) {
            throw new IllegalArgumentException("bad epoch plan: rounds of " + roundSteps + " steps");
        }
        long[] starts = new long[Math.toIntExact((steps + roundSteps - 1) / roundSteps)];
        for (int r = 0; r < starts.length; r++) {
            starts[r] = (long) r * roundSteps;
        }
        return starts;
    }

    /**
     * Segments of at most {@code maxRoundSteps} steps that also end wherever {@code endsAfter} holds for the
     * number of global steps done, and where a resumed run starts ({@code resumeStep}, if inside the epoch).
     */
    public static EpochPlan segmented(int epoch, long firstStep, long steps, int workers, int perWorkerBatch,
                                      int maxRoundSteps, long resumeStep, LongPredicate endsAfter) {
        if (maxRoundSteps < 1) {
            throw new IllegalArgumentException("bad epoch plan: segments of " + maxRoundSteps + " steps");
        }
        List<Long> starts = new ArrayList<>(List.of(0L));
        long current = 0;
        for (long s = 1; s < steps; s++) {
            long global = firstStep + s;
            if (global == resumeStep || s - current >= maxRoundSteps || endsAfter.test(global)) {
                starts.add(s);
                current = s;
            }
        }
        return new EpochPlan(epoch, firstStep, steps, workers, perWorkerBatch,
                starts.stream().mapToLong(Long::longValue).toArray());
    }

    public int epoch() {
        return epoch;
    }

    public long firstStep() {
        return firstStep;
    }

    public long steps() {
        return steps;
    }

    public int workers() {
        return workers;
    }

    public int perWorkerBatch() {
        return perWorkerBatch;
    }

    /** Examples the epoch trains on; the rest of the shuffle is dropped (incomplete last global batch). */
    public long examples() {
        return steps * workers * perWorkerBatch;
    }

    public int rounds() {
        return roundStarts.length;
    }

    public int partitions() {
        return Math.multiplyExact(rounds(), workers);
    }

    /** Steps in round {@code round}. */
    public int roundSteps(int round) {
        long end = round + 1 < roundStarts.length ? roundStarts[round + 1] : steps;
        return Math.toIntExact(end - roundStarts[round]);
    }

    /** The round that starts at global step {@code step} of this epoch (a checkpoint lies on a round boundary). */
    public int roundAt(long step) {
        long inEpoch = step - firstStep;
        if (inEpoch <= 0) {
            return 0;
        }
        int round = Arrays.binarySearch(roundStarts, inEpoch);
        if (round < 0) {
            throw new IllegalStateException("step " + step + " is not on a round boundary of epoch " + epoch);
        }
        return round;
    }

    /** The global step a round starts at. */
    public long firstStepOfRound(int round) {
        return firstStep + roundStarts[round];
    }

    /** The epoch partition holding the example at shuffled position {@code position}. */
    public int partitionOf(long position) {
        long minibatch = position / perWorkerBatch;
        long stepInEpoch = minibatch / workers;
        int worker = (int) (minibatch % workers);
        int at = Arrays.binarySearch(roundStarts, stepInEpoch);
        int round = at >= 0 ? at : -at - 2;
        return round * workers + worker;
    }

    /** The global step at which the example at {@code position} is trained. */
    public long stepOf(long position) {
        return firstStep + position / perWorkerBatch / workers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochPlan p && p.epoch == epoch && p.firstStep == firstStep && p.steps == steps
                && p.workers == workers && p.perWorkerBatch == perWorkerBatch && Arrays.equals(p.roundStarts, roundStarts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, firstStep, steps, workers, perWorkerBatch, Arrays.hashCode(roundStarts));
    }

    @Override
    public String toString() {
        return "EpochPlan[epoch " + epoch + ", steps " + firstStep + "+" + steps + ", " + workers + " x "
                + perWorkerBatch + ", rounds at " + Arrays.toString(roundStarts) + "]";
    }
}
