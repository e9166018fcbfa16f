package org.carotspark.train;

import java.util.Locale;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.DoubleAccumulator;
import org.carotspark.data.ParquetColumns;
import org.carotspark.ema.EmaMomentumSchedule;
import org.carotspark.ema.EmaSettings;
import org.carotspark.ema.EmaTeacher;
import org.carotspark.loss.CarotObjective;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.stats.EventStats;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Distributed CaRot / FLYP fine-tuning through DL4J's parameter averaging.
 *
 * <p>A step is one global batch: one minibatch on every worker. A round is
 * {@code averaging-frequency} steps (fewer at the end of an epoch), after which the workers'
 * parameters and Adam state are averaged. Per round the driver sets the learning rate of the
 * round's first step (the schedule is piecewise constant over a round), lets executors attach
 * the EMA teacher's soft targets to exactly the minibatches the student then fits, and, when the
 * round reached a multiple of the EMA interval, moves the teacher towards the averaged student.
 */
public final class CarotTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(CarotTrainer.class);

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final EmaSettings ema;
    private final CaptionTokenizer tokenizer;
    private final CaptionSampler captions;
    private final int imageSize;
    private final CheckpointStore checkpoints;

    public CarotTrainer(JavaSparkContext jsc, TrainingSettings settings, EmaSettings ema,
                        CaptionTokenizer tokenizer, CaptionSampler captions, int imageSize,
                        CheckpointStore checkpoints) {
        this.jsc = jsc;
        this.settings = settings;
        this.ema = ema;
        this.tokenizer = tokenizer;
        this.captions = captions;
        this.imageSize = imageSize;
        this.checkpoints = checkpoints;
    }

    public TrainingOutcome train(Method method, ComputationGraph student, Dataset<Row> trainSplit) throws IOException {
        JavaRDD<TrainExample> examples = trainSplit
                .select(ParquetColumns.ID, ParquetColumns.LABEL, ParquetColumns.IMAGE).javaRDD()
                .map(r -> new TrainExample(r.getString(0), r.getInt(1), (byte[]) r.get(2)));
        long rows = trainSplit.count(); // from Parquet footers: no need to decode every row
        int workers = settings.workers();
        long stepsPerEpoch = settings.stepsPerEpoch(rows);
        long totalSteps = settings.totalSteps(rows);
        CarotObjective objective = method.objective(settings);
        boolean distills = objective.distills();
        EmaMomentumSchedule momentum = ema.schedule(totalSteps);
        WarmupCosineSchedule lr = new WarmupCosineSchedule(settings.learningRate(), settings.warmupSteps(), totalSteps);

        EmaTeacher teacher = new EmaTeacher(ModelSnapshot.flatParams(student));
        long step = 0;
        int startEpoch = 0;
        CheckpointStore.Restored restored = checkpoints.restore(method.configName());
        if (restored != null) {
            student = restored.student();
            teacher = restored.teacher();
            step = restored.step();
            startEpoch = restored.epochsDone();
            LOG.info("{}: resuming from checkpoint after epoch {} (step {}/{})", method.configName(),
                    startEpoch, step, totalSteps);
        }
        LOG.info("{}: {} training pairs, {} workers x {} per worker = global batch {}, {} steps/epoch, {} steps,"
                        + " averaging every {} steps, {}", method.configName(), rows, workers,
                settings.perWorkerBatch(), settings.globalBatchSize(), stepsPerEpoch, totalSteps,
                settings.averagingFrequency(), objective);

        SparkJobs.useSystemClockOnDriver();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers,
                settings.perWorkerBatch())
                .batchSizePerWorker(settings.perWorkerBatch())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .collectTrainingStats(true)
                .build();
        SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, student, master);
        sparkNet.setCollectTrainingStats(true);
        LossTermsAccumulator roundTerms = new LossTermsAccumulator();
        jsc.sc().register(roundTerms, "loss terms");
        sparkNet.setListeners(List.of(new LossTermsListener(roundTerms)));
        LossTerms lastTerms = null;

        DoubleAccumulator teacherSeconds = jsc.sc().doubleAccumulator("teacher targets seconds");
        Broadcast<ModelSnapshot> teacherBroadcast = distills ? jsc.broadcast(ModelSnapshot.of(student, teacher.snapshot())) : null;
        TrainingProgress progress = new TrainingProgress(method.configName(), totalSteps, settings.globalBatchSize(), step);
        long start = System.nanoTime();
        double roundSeconds = 0;
        long rounds = 0;
        int lastEpoch = (int) ((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        for (int epoch = startEpoch; epoch < lastEpoch && step < totalSteps; epoch++) {
            long epochStartStep = (long) epoch * stepsPerEpoch;
            long epochSteps = Math.min(stepsPerEpoch, totalSteps - epochStartStep);
            JavaPairRDD<Long, List<TrainExample>> batches = EpochBatches.of(examples, epoch, settings.shuffleSeed(),
                    settings.perWorkerBatch(), epochSteps * workers, Math.max(workers, jsc.defaultParallelism()));
            for (long local = 0; local < epochSteps; local += settings.averagingFrequency()) {
                long roundSteps = Math.min(settings.averagingFrequency(), epochSteps - local);
                long firstBatch = local * workers;
                long endBatch = (local + roundSteps) * workers;
                double roundLr = lr.at(step);
                sparkNet.getNetwork().setLearningRate(roundLr);
                JavaRDD<MultiDataSet> round = batches
                        .filter(b -> b._1() >= firstBatch && b._1() < endBatch)
                        .partitionBy(new RoundPartitioner(workers))
                        .mapPartitions(new MinibatchBuilder(tokenizer, captions, epoch, epochStartStep, workers,
                                imageSize, teacherBroadcast, teacherSeconds));
                long t0 = System.nanoTime();
                roundTerms.reset();
                sparkNet.fitMultiDataSet(round);
                lastTerms = roundTerms.value().copy();
                roundSeconds += (System.nanoTime() - t0) / 1e9;
                rounds++;
                long before = step;
                step += roundSteps;
                if (distills && momentum.updateDue(before, step)) {
                    teacher.update(ModelSnapshot.flatParams(sparkNet.getNetwork()), momentum.momentumAt(step));
                    teacherBroadcast.destroy();
                    teacherBroadcast = jsc.broadcast(ModelSnapshot.of(sparkNet.getNetwork(), teacher.snapshot()));
                }
                LOG.info(progress.line(step, epoch, settings.epochs(), roundLr, lastTerms, teacher.updates(),
                        roundSteps));
            }
            batches.unpersist(false);
            // The last epoch is saved too: re-running a finished job then skips straight to evaluation.
            if (settings.checkpointEveryEpochs() > 0 && ((epoch + 1) % settings.checkpointEveryEpochs() == 0
                    || step >= totalSteps)) {
                checkpoints.save(method.configName(), sparkNet.getNetwork(), teacher, step, epoch + 1);
            }
        }
        if (teacherBroadcast != null) {
            teacherBroadcast.destroy();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Double> stats = statsMs(sparkNet.getSparkTrainingStats());
        double fitSeconds = stats.getOrDefault("ParameterAveragingWorkerFitTimesMs", 0.0) / 1000.0 / workers;
        LOG.info("{}: {} rounds in {} ({} per round: worker fit {}, averaging/broadcast/data/teacher {}),"
                        + " teacher targets {} executor-seconds", method.configName(), rounds,
                TrainingProgress.duration(wall), seconds(roundSeconds / Math.max(1, rounds)),
                seconds(fitSeconds / Math.max(1, rounds)),
                seconds((roundSeconds - fitSeconds) / Math.max(1, rounds)), seconds(teacherSeconds.value()));
        return new TrainingOutcome(sparkNet.getNetwork(), step, wall, roundSeconds, fitSeconds,
                teacherSeconds.value(), teacher.updates(), stats, lastTerms);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2fs", s);
    }

    /** Total milliseconds per DL4J training-stats key (worker fit, master aggregation, broadcasts, ...). */
    static Map<String, Double> statsMs(SparkTrainingStats stats) {
        Map<String, Double> out = new TreeMap<>();
        if (stats == null) {
            return out;
        }
        for (String key : stats.getKeySet()) {
            List<EventStats> events = stats.getValue(key);
            if (events != null) {
                out.put(key, events.stream().mapToDouble(EventStats::getDurationMs).sum());
            }
        }
        return out;
    }
}
