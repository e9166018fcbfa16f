package org.carotspark.train.averaging;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.carotspark.train.PairwiseSum;
import org.carotspark.train.RoundRunner;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.WorkerResult;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Locale;

/**
 * Parameter averaging: every worker starts a round from the same parameters and AdamW state, takes the round's
 * steps on its own minibatches, and the driver averages the workers' parameters and AdamW moments.
 */
public final class AveragingRounds implements RoundRunner {

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final Minibatches minibatches;
    private final ComputationGraph graph;

    public AveragingRounds(JavaSparkContext jsc, TrainingSettings settings, Minibatches minibatches,
                    ComputationGraph student) {
        this.jsc = jsc;
        this.settings = settings;
        this.minibatches = minibatches;
        this.graph = student;
    }

    @Override
    public int stepsPerRound() {
        return settings.averagingFrequency();
    }

    @Override
    public ModelSnapshot teacherSnapshot(float[] teacherParams) {
        return ModelSnapshot.of(graph, teacherParams, "teacher");
    }

    @Override
    public RoundRun run(ComputationGraph student, EpochBatches batches, EpochPlan plan, int round, long step,
                        Broadcast<ModelSnapshot> teacher) {
        long start = System.nanoTime();
        Broadcast<WorkerRound.Start> roundState = jsc.broadcast(new WorkerRound.Start(
                ModelSnapshot.of(student, "student"), FloatVectors.copyOf(student.getUpdater().getStateViewArray()),
                step, plan.epoch()));
        double broadcastSeconds = (System.nanoTime() - start) / 1e9;
        WorkerResult sum = PairwiseSum.of(batches.round(round).mapPartitions(new WorkerRound(roundState, teacher,
                minibatches, plan, settings.clampLogitScale(), settings.gradientClipNorm())), settings.workers());
        long applyStart = System.nanoTime();
        sum.requireWorkers(settings.workers(), "round " + round + " of epoch " + plan.epoch());
        FloatVectors.copyInto(student.params(), sum.mean(sum.params));
        FloatVectors.copyInto(student.getUpdater().getStateViewArray(), sum.mean(sum.updaterState));
        roundState.destroy();
        return new RoundRun(sum, sum.terms, broadcastSeconds, (System.nanoTime() - applyStart) / 1e9);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "parameter averaging over %d workers every %d steps: the driver averages θ"
                        + " and AdamW's first and second moments; each worker's minibatch is %d of the global %d pairs,"
                        + " so its contrastive loss and teacher targets see %d in-batch negatives (the reference: %d)",
                settings.workers(), settings.averagingFrequency(), settings.perWorkerBatch(),
                settings.globalBatchSize(), settings.perWorkerBatch() - 1, settings.globalBatchSize() - 1);
    }
}
