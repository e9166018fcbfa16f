package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.Split;
import org.carotspark.ema.EmaSettings;
import org.carotspark.eval.EvalSettings;
import org.carotspark.eval.ModelEvaluation;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ReportData;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.RoundTimings;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.TrainImages;
import org.carotspark.weights.ClipTensorLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One fine-tuning run as {@code FineTuneStage} performs it: load the prepared splits and metadata,
 * build CLIP, train each configured method from the same initial weights, evaluate each on every
 * split and write the report. A plain class so tests drive it with a local SparkSession.
 */
public final class FineTuneRun {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneRun.class);
    /** report.json's run entry naming the prep version (manifest.json's {@code version}) the run read. */
    static final String PREP_VERSION = "prep_version";

    private final SparkSession spark;
    private final Config config;
    /** What the last {@link #run} reported: rows, feature spectra, method settings. */
    private ReportData report;

    public FineTuneRun(SparkSession spark, Config config) {
        this.spark = spark;
        this.config = config;
    }

    public List<ResultRow> run() throws IOException {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingSettings training = TrainingSettings.fromConfig(config, jsc.defaultParallelism());
        training.requireRunnableOn(jsc.getConf());
        GpuCompatibility.requireSupported(jsc, config, training.workers());
        EvalSettings eval = EvalSettings.fromConfig(config);
        List<MethodRun> runs = MethodRun.of(config);
        ClassifierBaselines.validate(config);
        Set<Split> needed = new LinkedHashSet<>(List.of(Split.IMAGENET_TRAIN, Split.IMAGENET_HELDOUT));
        needed.addAll(eval.splits());
        DatasetMetadata metadata = DatasetMetadata.load(config, jsc.hadoopConfiguration(),
                eval.splits().contains(Split.OBJECTNET));
        String checkpoint = config.getString("carot.model.checkpoint").strip();
        PretrainedModel pretrained = checkpoint.isEmpty() ? null
                : PretrainedModel.open(checkpoint, config.getString("carot.model.vocab").strip(), jsc.hadoopConfiguration());
        CaptionTokenizer tokenizer = pretrained != null ? pretrained.tokenizer()
                : new SimpleWordTokenizer(metadata.classNames(), metadata.templates(),
                        config.getInt("carot.model.context-length"));
        ClipModelConfig model = pretrained != null ? pretrained.config()
                : ClipModelConfig.fromConfig(config, tokenizer.vocabSize());
        LOG.info("model: {}", pretrained != null ? "pretrained " + pretrained : "random initialisation, " + model);
        Path outputDir = HadoopFs.qualify(config.getString("carot.output-dir"), jsc.hadoopConfiguration());
        ReportWriter.checkWritable(outputDir, jsc.hadoopConfiguration());
        PreparedSplits splits = PreparedSplits.open(spark, config.getString("carot.data.parquet-root"), needed);
        splits.requireImageSize(model.imageSize());
        // What the methods read from the job's configuration is checked before any work (sweep entries' in MethodRun).
        EmaSettings.fromConfig(config);
        CarotLoss.fromConfig(config);
        TrainImages.fromConfig(config, model.imageSize());

        long trainRows = splits.get(Split.IMAGENET_TRAIN).count(); // from Parquet footers
        long totalSteps = training.totalSteps(trainRows);
        INDArray initialParams = initialParameters(model, pretrained, training, totalSteps);
        LOG.info("CLIP {} parameters; methods {}; splits {}", initialParams.length(),
                runs.stream().map(MethodRun::name).toList(), eval.splits());

        KeptProgress progress = KeptProgress.of(config, jsc.hadoopConfiguration(), splits);
        ModelEvaluation evaluation = new ModelEvaluation(jsc, eval, metadata, tokenizer, model.imageSize(), splits::get);

        List<ResultRow> rows = new ArrayList<>();
        Map<String, Object> runInfo = new LinkedHashMap<>();
        runInfo.put(PREP_VERSION, splits.version());
        StringBuilder summary = new StringBuilder();
        Map<String, String> methodSettings = new LinkedHashMap<>();
        List<FeatureSpectrum> spectra = new ArrayList<>();
        FinishedEvaluations finished = progress.finished();
        MethodContext context = new MethodContext(jsc, config, model, pretrained, tokenizer, metadata, initialParams,
                splits.get(Split.IMAGENET_TRAIN), trainRows, progress.checkpoints(), evaluation, outputDir, runInfo, summary,
                methodSettings);
        List<MethodKind> kinds = methodKinds();
        for (MethodRun run : runs) {
            FinishedEvaluations.Finished done = finished.load(run.name());
            if (done != null) {
                rows.addAll(done.rows());
                spectra.addAll(done.spectra());
                runInfo.putAll(done.run());
                if (done.setting() != null) {
                    methodSettings.put(run.name(), done.setting());
                }
                continue;
            }
            Set<String> runInfoBefore = new LinkedHashSet<>(runInfo.keySet());
            MethodKind kind = kinds.stream().filter(k -> k.runs(run.method())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no method kind runs " + run.method()));
            List<ResultRow> evaluated = kind.run(run, context);
            record(finished, run.name(), evaluated, evaluation, methodSettings.get(run.name()),
                    added(runInfo, runInfoBefore), rows, spectra);
        }
        List<ResultRow> report = ReportWriter.withOodAverage(rows);
        runInfo.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        this.report = new ReportData(report, spectra, methodSettings);
        ReportWriter.write(outputDir, jsc.hadoopConfiguration(), this.report, runInfo);
        LOG.info("Run summary ({}s wall):\n{}  report: {}/report.json, .md, .csv\n\n{}",
                Math.round((System.nanoTime() - start) / 1e9), summary, outputDir, ReportWriter.markdown(this.report));
        return report;
    }

    /** Where the methods' progress is kept: their checkpoints and finished evaluations (both off without a directory). */
    private record KeptProgress(CheckpointStore checkpoints, FinishedEvaluations finished) {

        static KeptProgress of(Config config, Configuration hadoop, PreparedSplits splits) throws IOException {
            String dir = config.getString("carot.train.checkpoint-dir");
            // What progress is valid for (settings, model and data digests) is only worth computing when it is kept.
            if (dir.isBlank()) {
                return new KeptProgress(CheckpointStore.disabled(), new FinishedEvaluations("", hadoop, ""));
            }
            boolean restartOnPrepChange = config.getBoolean(CheckpointStore.RESTART_ON_PREP_CHANGE);
            return new KeptProgress(new CheckpointStore(dir, hadoop, RunFingerprints.training(config, hadoop),
                    splits.trainingData(), restartOnPrepChange),
                    new FinishedEvaluations(dir, hadoop, RunFingerprints.evaluation(config, hadoop),
                            splits.evaluatedData(), restartOnPrepChange));
        }
    }

    /** One of each method kind, for one run: the classifier baselines mix the contrastive methods' students. */
    static List<MethodKind> methodKinds() {
        ContrastiveMethod contrastive = new ContrastiveMethod();
        return List.of(new ZeroShotMethod(), contrastive, new ClassifierBaselineMethod(contrastive));
    }

    /**
     * Adds a method's freshly evaluated rows, and the spectra of the models they report, to the run's, and keeps
     * them beside its checkpoints so a rerun skips it.
     */
    private static void record(FinishedEvaluations finished, String name, List<ResultRow> evaluated,
                               ModelEvaluation evaluation, String setting, Map<String, Object> run,
                               List<ResultRow> rows, List<FeatureSpectrum> spectra) {
        Set<String> models = new LinkedHashSet<>();
        evaluated.forEach(r -> models.add(r.method()));
        List<FeatureSpectrum> own = evaluation.spectra().stream().filter(s -> models.contains(s.method())).toList();
        finished.save(name, new FinishedEvaluations.Finished(evaluated, own, setting, run));
        rows.addAll(evaluated);
        spectra.addAll(own);
    }

    /** The entries a method added to the run section: kept with its rows so a rerun that skips it reports them. */
    private static Map<String, Object> added(Map<String, Object> runInfo, Set<String> before) {
        Map<String, Object> out = new LinkedHashMap<>(runInfo);
        out.keySet().removeAll(before);
        return out;
    }

    /** The report of the last {@link #run}: its rows, the feature spectra and each method's settings. */
    public ReportData report() {
        return report;
    }

    /** The weights every method starts from: the checkpoint's, or a seeded random initialisation. */
    private static INDArray initialParameters(ClipModelConfig model, PretrainedModel pretrained, TrainingSettings training,
                                              long totalSteps) {
        if (pretrained == null) {
            return TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY, training, totalSteps).params();
        }
        // Built around zeros (no initialiser runs), then every parameter comes from the checkpoint.
        ComputationGraph g = TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY, training, totalSteps,
                Nd4j.zeros(DataType.FLOAT, 1, ClipTensorLayout.parameterCount(model)));
        pretrained.loadInto(g);
        return g.params();
    }

    static Map<String, Object> runInfo(TrainingOutcome o) {
        Map<String, Object> info = new LinkedHashMap<>();
        RoundTimings t = o.timings();
        info.put("steps", o.steps());
        info.put("resumed_from_step", o.resumedFromStep());
        info.put("train_seconds", o.wallSeconds());
        info.put("round_seconds", t.wallSeconds());
        info.put("worker_fit_seconds", t.fitSeconds());
        info.put("worker_data_seconds", t.dataSeconds());
        info.put("teacher_seconds", t.teacherSeconds());
        info.put("broadcast_seconds", t.broadcastSeconds());
        info.put("aggregation_seconds", t.aggregationSeconds());
        info.put("ema_updates", o.teacherUpdates());
        if (o.lastRoundTerms() != null) {
            Map<String, Double> terms = new LinkedHashMap<>();
            for (String name : o.lastRoundTerms().names()) {
                terms.put(name, o.lastRoundTerms().mean(name));
            }
            info.put("last_round_loss_terms", terms);
        }
        return info;
    }
}
