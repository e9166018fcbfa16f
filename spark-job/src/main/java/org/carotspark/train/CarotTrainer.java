package org.carotspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.data.ParquetColumns;
import org.carotspark.ema.EmaMomentumSchedule;
import org.carotspark.ema.EmaSettings;
import org.carotspark.ema.EmaTeacher;
import org.carotspark.loss.CarotObjectiveLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * Distributed CaRot / FLYP fine-tuning by parameter averaging on Spark.
 *
 * <p>A step is one global batch: one minibatch on every worker. A round is {@code averaging-frequency}
 * steps (fewer at the end of an epoch): every worker starts from the same parameters and AdamW state,
 * takes the round's steps on its own minibatches, and the driver averages the workers' parameters and
 * AdamW state (first and second moments). Workers set DL4J's iteration count to the true global step, so
 * the learning-rate schedule and Adam's bias correction are exact per step; each executor thread keeps its
 * graph between rounds. The EMA teacher lives on the driver; executors attach its soft targets to exactly
 * the minibatches the student fits, and it moves towards the averaged student when a round reaches a
 * multiple of the EMA interval.
 */
public final class CarotTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(CarotTrainer.class);

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final EmaSettings ema;
    private final MinibatchBuilder minibatches;
    private final CheckpointStore checkpoints;

    public CarotTrainer(JavaSparkContext jsc, TrainingSettings settings, EmaSettings ema,
                        CaptionTokenizer tokenizer, CaptionSampler captions, TrainImages images,
                        CheckpointStore checkpoints) {
        this.jsc = jsc;
        this.settings = settings;
        this.ema = ema;
        this.minibatches = new MinibatchBuilder(tokenizer, captions, images);
        this.checkpoints = checkpoints;
    }

    public TrainingOutcome train(Method method, ComputationGraph student, Dataset<Row> trainSplit) throws IOException {
        JavaRDD<TrainExample> examples = trainSplit
                .select(ParquetColumns.ID, ParquetColumns.LABEL, ParquetColumns.IMAGE).javaRDD()
                .map(r -> new TrainExample(r.getString(0), r.getInt(1), (byte[]) r.get(2)));
        JavaRDD<String> ids = trainSplit.select(ParquetColumns.ID).javaRDD().map(r -> r.getString(0));
        long rows = trainSplit.count(); // from Parquet footers: no need to decode every row
        long stepsPerEpoch = settings.stepsPerEpoch(rows);
        long totalSteps = settings.totalSteps(rows);
        CarotObjectiveLayer objective = CarotObjectiveLayer.of(student);
        EmaMomentumSchedule momentum = ema.schedule(totalSteps);

        EmaTeacher teacher = new EmaTeacher(ModelSnapshot.flatParams(student));
        long step = 0;
        long resumedFrom = 0;
        CheckpointStore.Restored restored = checkpoints.restore(method.configName());
        if (restored != null) {
            student = restored.student();
            teacher = restored.teacher();
            step = restored.step();
            resumedFrom = step;
            LOG.info("{}: resuming from the checkpoint at step {}/{}", method.configName(), step, totalSteps);
        }
        int startEpoch = (int) (step / stepsPerEpoch);
        RoundCapacity.check(jsc.getConf(), student.params().length(),
                student.getUpdater().getStateViewArray().length(), Runtime.getRuntime().maxMemory());
        LOG.info("{}: {} training pairs, {} steps/epoch, {} steps; {}", method.configName(), rows, stepsPerEpoch,
                totalSteps, objective);
        LOG.info("{}: parameter averaging over {} workers every {} steps: the driver averages θ and AdamW's first and"
                        + " second moments; each worker's minibatch is {} of the global {} pairs, so its contrastive"
                        + " loss and teacher targets see {} in-batch negatives (the reference: {})", method.configName(),
                settings.workers(), settings.averagingFrequency(), settings.perWorkerBatch(), settings.globalBatchSize(),
                settings.perWorkerBatch() - 1, settings.globalBatchSize() - 1);

        ISchedule lr = learningRateSchedule(student);
        RoundTimings timings = new RoundTimings();
        LossTerms lastTerms = null;
        Broadcast<ModelSnapshot> teacherBroadcast = objective.distills()
                ? jsc.broadcast(ModelSnapshot.of(student, teacher.snapshot(), "teacher")) : null;
        TrainingProgress progress = new TrainingProgress(method.configName(), totalSteps, settings.globalBatchSize(), step);
        long start = System.nanoTime();
        int lastEpoch = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        for (int epoch = startEpoch; epoch < lastEpoch && step < totalSteps; epoch++) {
            long epochStartStep = (long) epoch * stepsPerEpoch;
            EpochPlan plan = new EpochPlan(epoch, epochStartStep, Math.min(stepsPerEpoch, totalSteps - epochStartStep),
                    settings.workers(), settings.perWorkerBatch(), settings.averagingFrequency());
            Broadcast<EpochShuffle> shuffle = jsc.broadcast(EpochShuffle.of(ids, settings.shuffleSeed(), epoch));
            EpochBatches batches = EpochBatches.of(examples, plan, shuffle);
            // A checkpoint lies on a round boundary, so a resumed epoch continues at that round.
            int firstRound = plan.roundAt(step);
            for (int round = firstRound; round < plan.rounds(); round++) {
                long roundStart = System.nanoTime();
                Broadcast<WorkerRound.Start> roundState = jsc.broadcast(new WorkerRound.Start(
                        ModelSnapshot.of(student, "student"), student.getUpdater().getStateViewArray().toFloatVector(),
                        step, epoch));
                double broadcastSeconds = (System.nanoTime() - roundStart) / 1e9;
                WorkerResult sum = PairwiseSum.of(batches.round(round).mapPartitions(new WorkerRound(roundState,
                        teacherBroadcast, minibatches, plan, settings.clampLogitScale())), settings.workers());
                long applyStart = System.nanoTime();
                if (sum.workers != settings.workers()) {
                    throw new IllegalStateException("round " + round + " of epoch " + epoch + " came back from "
                            + sum.workers + " of " + settings.workers() + " workers");
                }
                apply(student, sum);
                roundState.destroy();
                int roundSteps = plan.roundSteps(round);
                long before = step;
                step += roundSteps;
                student.getConfiguration().setIterationCount(Math.toIntExact(step));
                if (teacherBroadcast != null && momentum.updateDue(before, step)) {
                    teacher.update(ModelSnapshot.flatParams(student), momentum.momentumAt(step));
                    teacherBroadcast.destroy();
                    teacherBroadcast = jsc.broadcast(ModelSnapshot.of(student, teacher.snapshot(), "teacher"));
                }
                long now = System.nanoTime();
                timings.add((now - roundStart) / 1e9, broadcastSeconds, (now - applyStart) / 1e9, sum);
                lastTerms = sum.terms;
                LOG.info(progress.line(step, epoch, settings.epochs(), lr.valueAt(Math.toIntExact(before), epoch),
                        lastTerms, teacher.updates(), roundSteps));
                boolean epochEnds = round == plan.rounds() - 1;
                if (settings.checkpointDue(before, step, epochEnds ? epoch + 1 : -1, step >= totalSteps)) {
                    checkpoints.save(method.configName(), student, teacher, step);
                }
            }
            batches.release();
            shuffle.destroy();
        }
        if (teacherBroadcast != null) {
            teacherBroadcast.destroy();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        LOG.info("{}: {} rounds in {} ({} per round; {})", method.configName(), timings.rounds(),
                TrainingProgress.duration(wall), seconds(timings.wallSeconds() / Math.max(1, timings.rounds())),
                timings.shares());
        return new TrainingOutcome(student, resumedFrom, step, wall, timings, teacher.updates(),
                objective.distills() ? teacher.snapshot() : null, lastTerms);
    }

    /** The averaged parameters and AdamW moments become the student's. */
    private static void apply(ComputationGraph student, WorkerResult sum) {
        INDArray params = student.params();
        params.assign(Nd4j.create(sum.mean(sum.params)).reshape(params.shape()));
        INDArray state = student.getUpdater().getStateViewArray();
        state.assign(Nd4j.create(sum.mean(sum.updaterState)).reshape(state.shape()));
    }

    /** The learning-rate schedule in the graph's updater (every layer shares the global one). */
    static ISchedule learningRateSchedule(ComputationGraph g) {
        IUpdater updater = ((BaseLayer) ((LayerVertex) g.getConfiguration().getVertices()
                .get(ClipGraphBuilder.PATCH_EMBED)).getLayerConf().getLayer()).getIUpdater();
        ISchedule schedule = updater instanceof Adam adam ? adam.getLearningRateSchedule() : null;
        return schedule != null ? schedule : new FixedSchedule(updater.getLearningRate(0, 0));
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2fs", s);
    }
}
