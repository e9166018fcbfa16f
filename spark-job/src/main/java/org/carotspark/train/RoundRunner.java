package org.carotspark.train;

import org.apache.spark.broadcast.Broadcast;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How a round's optimisation steps are computed across the workers and applied to the student on the driver:
 * {@link AveragingRounds} (workers step on their own minibatches, the driver averages) or {@link ExactSteps}
 * (one global-batch gradient per step, one AdamW step on the driver).
 */
public interface RoundRunner {

    /** What a round did: the workers' summed result (timings), its loss terms, and the driver's share of time. */
    record RoundRun(WorkerResult sum, LossTerms terms, double broadcastSeconds, double applySeconds) {
    }

    /** Steps per round. */
    int stepsPerRound();

    /** The EMA teacher with parameters {@code teacherParams}, as this mode's workers use it. */
    ModelSnapshot teacherSnapshot(float[] teacherParams);

    /**
     * Runs round {@code round} of the epoch, which starts at global step {@code step}, and leaves the student
     * with the round's result.
     *
     * @param teacher the EMA teacher ({@link #teacherSnapshot}), or null without distillation
     */
    RoundRun run(ComputationGraph student, EpochBatches batches, EpochPlan plan, int round, long step,
                 Broadcast<ModelSnapshot> teacher);

    /** One log line: what a round does and what each worker sees. */
    String describe();
}
