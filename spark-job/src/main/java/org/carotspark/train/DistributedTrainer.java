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
import org.carotspark.loss.CarotLossLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.train.averaging.AveragingRounds;
import org.carotspark.train.collective.CollectiveSteps;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.EpochShuffle;
import org.carotspark.train.exact.ExactSteps;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.MinibatchBuilder;
import org.carotspark.train.minibatch.TrainExample;
import org.carotspark.train.minibatch.TrainImages;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;

/**
 * Distributed CaRot / FLYP fine-tuning on Spark.
 *
 * <p>A step is one global batch: one minibatch on every worker. A round is the steps between two updates of
 * the driver's student ({@link RoundRunner}): {@code averaging-frequency} steps of parameter averaging
 * ({@link AveragingRounds}, the default), one exact global-batch step through the driver ({@link ExactSteps}), or a
 * segment of global-batch steps that the workers take together on a barrier stage ({@link CollectiveSteps}). The
 * learning-rate schedule and Adam's bias correction see the true global step in all three. The EMA teacher lives on the driver and
 * moves towards the student when a round reaches a multiple of the EMA interval; the driver checkpoints on round
 * boundaries and logs a progress line per round.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final EmaSettings ema;
    private final Minibatches minibatches;
    private final CheckpointStore checkpoints;

    /** Trains CLIP on image–caption pairs (FLYP, CaRot). */
    public DistributedTrainer(JavaSparkContext jsc, TrainingSettings settings, EmaSettings ema,
                        CaptionTokenizer tokenizer, CaptionSampler captions, TrainImages images,
                        CheckpointStore checkpoints) {
        this(jsc, settings, ema, new MinibatchBuilder(tokenizer, captions, images), checkpoints);
    }

    /** Trains any graph whose minibatches {@code minibatches} builds (the cross-entropy baselines). */
    public DistributedTrainer(JavaSparkContext jsc, TrainingSettings settings, EmaSettings ema, Minibatches minibatches,
                        CheckpointStore checkpoints) {
        this.jsc = jsc;
        this.settings = settings;
        this.ema = ema;
        this.minibatches = minibatches;
        this.checkpoints = checkpoints;
    }

    /** The split's rows as examples; a captions column (a captioned corpus) travels with them. */
    private static JavaRDD<TrainExample> examples(Dataset<Row> split) {
        if (!java.util.Arrays.asList(split.columns()).contains(ParquetColumns.CAPTIONS)) {
            return split.select(ParquetColumns.ID, ParquetColumns.LABEL, ParquetColumns.IMAGE).javaRDD()
                    .map(r -> new TrainExample(r.getString(0), r.getInt(1), (byte[]) r.get(2)));
        }
        return split.select(ParquetColumns.ID, ParquetColumns.LABEL, ParquetColumns.IMAGE, ParquetColumns.CAPTIONS).javaRDD()
                .map(r -> new TrainExample(r.getString(0), r.getInt(1), (byte[]) r.get(2),
                        r.<String>getList(3).toArray(new String[0])));
    }

    public TrainingOutcome train(Method method, ComputationGraph student, Dataset<Row> trainSplit) throws IOException {
        return train(method.configName(), student, trainSplit);
    }

    /**
     * Trains {@code student} on the train split; {@code name} names the run in logs and its checkpoints.
     */
    public TrainingOutcome train(String name, ComputationGraph student, Dataset<Row> trainSplit) throws IOException {
        JavaRDD<TrainExample> examples = examples(trainSplit);
        JavaRDD<String> ids = trainSplit.select(ParquetColumns.ID).javaRDD().map(r -> r.getString(0));
        long rows = trainSplit.count(); // from Parquet footers: no need to decode every row
        long stepsPerEpoch = settings.stepsPerEpoch(rows);
        long totalSteps = settings.totalSteps(rows);
        Layer objective = outputLayer(student);
        boolean distills = objective instanceof CarotLossLayer carot && carot.distills();
        EmaMomentumSchedule momentum = ema.schedule(totalSteps);

        EmaTeacher teacher = new EmaTeacher(ModelSnapshot.flatParams(student));
        long step = 0;
        long resumedFrom = 0;
        CheckpointStore.Restored restored = checkpoints.restore(name);
        if (restored != null) {
            student = restored.student();
            teacher = restored.teacher();
            step = restored.step();
            resumedFrom = step;
            LOG.info("{}: resuming from the checkpoint at step {}/{}", name, step, totalSteps);
        }
        settings.requireRunnableOn(jsc.getConf());
        int startEpoch = (int) (step / stepsPerEpoch);
        RoundCapacity.check(jsc.getConf(), student.params().length(),
                student.getUpdater().getStateViewArray().length(), Runtime.getRuntime().maxMemory(),
                settings.workers());
        LOG.info("{}: {} training pairs, {} steps/epoch, {} steps; {}", name, rows, stepsPerEpoch,
                totalSteps, objective instanceof CarotLossLayer ? objective
                        : "objective: softmax cross-entropy of a linear classifier");
        boolean exact = settings.mode() == TrainingSettings.Mode.EXACT && objective instanceof CarotLossLayer;
        if (settings.mode() == TrainingSettings.Mode.EXACT && !exact) {
            LOG.info("{}: a per-example loss has no global-batch coupling to gather: trained by parameter averaging",
                    name);
        }
        boolean collective = settings.mode() == TrainingSettings.Mode.COLLECTIVE;
        RoundRunner rounds = collective ? new CollectiveSteps(jsc, settings, minibatches, student)
                : exact ? new ExactSteps(jsc, settings, minibatches, student)
                : new AveragingRounds(jsc, settings, minibatches, student);
        LOG.info("{}: {}", name, rounds.describe());

        ISchedule lr = learningRateSchedule(student);
        RoundTimings timings = new RoundTimings();
        LossTerms lastTerms = null;
        Broadcast<ModelSnapshot> teacherBroadcast = distills
                ? jsc.broadcast(rounds.teacherSnapshot(teacher.snapshot())) : null;
        TrainingProgress progress = new TrainingProgress(name, totalSteps, settings.globalBatchSize(), step);
        long start = System.nanoTime();
        int lastEpoch = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        for (int epoch = startEpoch; epoch < lastEpoch && step < totalSteps; epoch++) {
            long epochStartStep = (long) epoch * stepsPerEpoch;
            long epochSteps = Math.min(stepsPerEpoch, totalSteps - epochStartStep);
            long resumeStep = step;
            // Collective segments return to the driver exactly where it must act: EMA updates and checkpoints.
            EpochPlan plan = collective
                    ? EpochPlan.segmented(epoch, epochStartStep, epochSteps, settings.workers(),
                            settings.perWorkerBatch(), rounds.stepsPerRound(), resumeStep,
                            done -> (distills && momentum.updateDue(done - 1, done))
                                    || settings.checkpointDue(done - 1, done, -1, false))
                    : new EpochPlan(epoch, epochStartStep, epochSteps, settings.workers(), settings.perWorkerBatch(),
                            rounds.stepsPerRound());
            Broadcast<EpochShuffle> shuffle = jsc.broadcast(EpochShuffle.of(ids, settings.shuffleSeed(), epoch));
            EpochBatches batches = EpochBatches.of(examples, plan, shuffle);
            // A checkpoint lies on a round boundary, so a resumed epoch continues at that round.
            int firstRound = plan.roundAt(step);
            for (int round = firstRound; round < plan.rounds(); round++) {
                long roundStart = System.nanoTime();
                RoundRunner.RoundRun run = rounds.run(student, batches, plan, round, step, teacherBroadcast);
                int roundSteps = plan.roundSteps(round);
                long before = step;
                step += roundSteps;
                student.getConfiguration().setIterationCount(Math.toIntExact(step));
                if (teacherBroadcast != null && momentum.updateDue(before, step)) {
                    teacher.update(ModelSnapshot.flatParams(student), momentum.momentumAt(step));
                    teacherBroadcast.destroy();
                    teacherBroadcast = jsc.broadcast(rounds.teacherSnapshot(teacher.snapshot()));
                }
                long now = System.nanoTime();
                timings.add((now - roundStart) / 1e9, run.broadcastSeconds(), run.applySeconds(), run.sum());
                lastTerms = run.terms();
                LOG.info(progress.line(step, epoch, settings.epochs(), lr.valueAt(Math.toIntExact(before), epoch),
                        lastTerms, teacher.updates(), roundSteps));
                boolean epochEnds = round == plan.rounds() - 1;
                if (settings.checkpointDue(before, step, epochEnds ? epoch + 1 : -1, step >= totalSteps)) {
                    checkpoints.save(name, student, teacher, step);
                }
            }
            batches.release();
            shuffle.destroy();
        }
        if (teacherBroadcast != null) {
            teacherBroadcast.destroy();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        LOG.info("{}: {} rounds in {} ({} per round; {})", name, timings.rounds(),
                TrainingProgress.duration(wall), seconds(timings.wallSeconds() / Math.max(1, timings.rounds())),
                timings.shares());
        return new TrainingOutcome(student, resumedFrom, step, wall, timings, teacher.updates(),
                distills ? teacher.snapshot() : null, lastTerms);
    }

    /** The configuration of the graph's (one) output layer: the objective it trains. */
    private static Layer outputLayer(ComputationGraph g) {
        String output = g.getConfiguration().getNetworkOutputs().get(0);
        return ((LayerVertex) g.getConfiguration().getVertices().get(output)).getLayerConf().getLayer();
    }

    /**
     * The learning-rate schedule in the graph's updater: every trained parameter shares the global AdamW (frozen
     * layers, LP-FT's probe tower, have a rate-0 SGD instead and are passed over).
     */
    static ISchedule learningRateSchedule(ComputationGraph g) {
        for (var vertex : g.getConfiguration().getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                Layer conf = layer.getLayerConf().getLayer();
                IUpdater updater = conf instanceof BaseLayer base ? base.getIUpdater()
                        : conf instanceof AbstractSameDiffLayer sameDiff ? sameDiff.getUpdater() : null;
                if (updater instanceof Adam adam) {
                    return adam.getLearningRateSchedule() != null ? adam.getLearningRateSchedule()
                            : new FixedSchedule(adam.getLearningRate());
                }
            }
        }
        throw new IllegalStateException("the graph has no AdamW-trained layer");
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2fs", s);
    }
}
