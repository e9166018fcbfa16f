package org.carotspark.train.exact;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.update.DriverAdamWStep;
import org.carotspark.train.GlobalBatchLoss;
import org.carotspark.train.update.GlobalNormClip;
import org.carotspark.train.update.LogitScaleClamp;
import org.carotspark.train.Minibatches;
import org.carotspark.train.PairwiseSum;
import org.carotspark.train.RoundRunner;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.WorkerResult;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Locale;

/**
 * Exact global-batch steps, the all-gather of open_clip's {@code ClipLoss(local_loss=False,
 * gather_with_grad=False)} built from Spark stages. Per step: the workers encode their shards
 * ({@link ExactForward}); the driver gathers the global batch's head outputs, computes the teacher's targets and
 * the loss over all B×B pairs, and broadcasts the loss gradient with respect to each pair's head output
 * ({@link GlobalBatchLoss}); each worker back-propagates its own rows ({@link ExactBackward}); the parameter
 * gradients are summed in a fixed tree ({@link PairwiseSum}); the driver takes one AdamW step
 * ({@link DriverAdamWStep}). The result is the single-JVM step on the whole batch, up to float rounding.
 */
public final class ExactSteps implements RoundRunner {

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final Minibatches minibatches;
    private final String featureGraphJson;
    private final GlobalBatchLoss objective;
    private final int headWidth;

    public ExactSteps(JavaSparkContext jsc, TrainingSettings settings, Minibatches minibatches,
               ComputationGraph student) {
        this.jsc = jsc;
        this.settings = settings;
        this.minibatches = minibatches;
        this.featureGraphJson = FeatureGradientGraph.configurationJson(student);
        this.objective = new GlobalBatchLoss(student);
        this.headWidth = FeatureGradientGraph.headWidth(student);
    }

    @Override
    public int stepsPerRound() {
        return 1;
    }

    @Override
    public ModelSnapshot teacherSnapshot(float[] teacherParams) {
        return ModelSnapshot.of(featureGraphJson, teacherParams, "teacher-features");
    }

    @Override
    public RoundRun run(ComputationGraph student, EpochBatches batches, EpochPlan plan, int round, long step,
                        Broadcast<ModelSnapshot> teacher) {
        long start = System.nanoTime();
        Broadcast<ModelSnapshot> features = jsc.broadcast(
                ModelSnapshot.of(featureGraphJson, ModelSnapshot.flatParams(student), "student-features"));
        double broadcastSeconds = (System.nanoTime() - start) / 1e9;
        Broadcast<ModelSnapshot> targetsFrom = step > 0 ? teacher : null;
        List<HeadShard> shards = batches.round(round)
                .mapPartitions(new ExactForward(features, targetsFrom, minibatches, plan.epoch())).collect();
        long driverStart = System.nanoTime();
        HeadShard batch = HeadShard.gather(shards, settings.globalBatchSize());
        INDArray targets = batch.hasTeacher() ? objective.teacherTargets(batch.teacher())
                : CarotLoss.noTeacher(batch.rows(), student.getConfiguration().getDataType());
        GlobalBatchLoss.Evaluation loss = objective.evaluate(batch.student(), targets);
        Broadcast<HeadGradients> gradients = jsc.broadcast(new HeadGradients(batch.positions(), loss.headGradient()));
        double driverSeconds = (System.nanoTime() - driverStart) / 1e9;

        WorkerResult sum = PairwiseSum.of(batches.round(round)
                .mapPartitions(new ExactBackward(features, gradients, minibatches, plan.epoch())), settings.workers());
        long applyStart = System.nanoTime();
        sum.requireWorkers(settings.workers(), "step " + step);
        if (settings.gradientClipNorm() > 0) {
            GlobalNormClip.clipInPlace(sum.gradient, settings.gradientClipNorm(), settings.globalBatchSize());
        }
        DriverAdamWStep.apply(student, sum.gradient, settings.globalBatchSize());
        if (settings.clampLogitScale()) {
            LogitScaleClamp.clamp(student);
        }
        features.destroy();
        gradients.destroy();
        sum.dataSeconds += batch.dataSeconds;
        sum.fitSeconds += batch.forwardSeconds;
        sum.teacherSeconds += batch.teacherSeconds;
        sum.maxTaskSeconds += batch.slowestTaskSeconds; // the two stages' slowest tasks, one after the other
        return new RoundRun(sum, loss.terms(), broadcastSeconds,
                driverSeconds + (System.nanoTime() - applyStart) / 1e9);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "exact global batch over %d workers: each step gathers the %d pairs' head"
                        + " outputs (%d KB) on the driver, computes the loss and teacher targets over all %d x %d pairs,"
                        + " sums the workers' gradients and takes one AdamW step on the driver (as the reference)",
                settings.workers(), settings.globalBatchSize(),
                (long) settings.globalBatchSize() * headWidth * 4 * 2 / 1024, settings.globalBatchSize(),
                settings.globalBatchSize());
    }
}
