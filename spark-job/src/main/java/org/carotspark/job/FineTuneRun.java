package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.PreparedData;
import org.carotspark.ema.EmaSettings;
import org.carotspark.eval.EvalSettings;
import org.carotspark.eval.ModelEvaluation;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.CaptionSampler;
import org.carotspark.train.CarotTrainer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.Method;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fine-tuning run as {@code FineTuneJob} performs it: load the prepared splits and metadata,
 * build CLIP, train each configured method from the same initial weights, evaluate each on every
 * split and write the report. A plain class so tests drive it with a local SparkSession.
 */
public final class FineTuneRun {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneRun.class);
    static final String TRAIN = "imagenet-train";

    private final SparkSession spark;
    private final Config config;

    public FineTuneRun(SparkSession spark, Config config) {
        this.spark = spark;
        this.config = config;
    }

    public List<ResultRow> run() throws IOException {
        long start = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingSettings training = TrainingSettings.fromConfig(config, jsc.defaultParallelism());
        EvalSettings eval = EvalSettings.fromConfig(config);
        List<Method> methods = config.getStringList("carot.methods").stream().map(Method::parse).toList();
        String parquetRoot = config.getString("carot.data.parquet-root");
        Map<String, Dataset<Row>> splits = loadSplits(parquetRoot, eval.splits());

        DatasetMetadata metadata = DatasetMetadata.load(config, jsc.hadoopConfiguration());
        CaptionTokenizer tokenizer = new SimpleWordTokenizer(metadata.classNames(), metadata.templates(),
                config.getInt("carot.model.context-length"));
        ClipModelConfig model = ClipModelConfig.fromConfig(config).withVocabSize(tokenizer.vocabSize());
        INDArray initialParams = newGraph(model, 0, 0, training).params().dup();
        LOG.info("CLIP {} parameters; methods {}; splits {}", initialParams.length(), config.getStringList("carot.methods"),
                eval.splits());

        CaptionSampler captions = new CaptionSampler(metadata.classNames(), metadata.templates(), training.captionSeed());
        String checkpointDir = config.getString("carot.train.checkpoint-dir");
        CheckpointStore checkpoints = new CheckpointStore(checkpointDir, jsc.hadoopConfiguration(),
                fingerprint());
        CarotTrainer trainer = new CarotTrainer(jsc, training, EmaSettings.fromConfig(config), tokenizer, captions,
                model.imageSize(), checkpoints);
        ModelEvaluation evaluation = new ModelEvaluation(jsc, eval, metadata, tokenizer, model.imageSize(),
                splits::get);

        List<ResultRow> rows = new ArrayList<>();
        Map<String, Object> runInfo = new LinkedHashMap<>();
        StringBuilder summary = new StringBuilder();
        for (Method method : methods) {
            ComputationGraph graph = newGraph(model, method.lambdaOc(training), method.lambdaSd(training), training);
            graph.setParams(initialParams);
            if (method.trains()) {
                TrainingOutcome outcome = trainer.train(method, graph, splits.get(TRAIN));
                graph = outcome.student();
                runInfo.put(method.configName(), Map.of("steps", outcome.steps(), "train_seconds", outcome.wallSeconds(),
                        "round_seconds", outcome.roundSeconds(), "worker_fit_seconds", outcome.fitSeconds(),
                        "teacher_seconds", outcome.teacherSeconds(), "ema_updates", outcome.teacherUpdates()));
                summary.append(summaryLine(method, outcome, training.globalBatchSize()));
            }
            rows.addAll(evaluation.evaluate(method.configName(), graph));
        }
        List<ResultRow> report = ReportWriter.withOodAverage(rows);
        String outputDir = config.getString("carot.output-dir");
        runInfo.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        ReportWriter.write(Paths.get(outputDir), report, runInfo);
        LOG.info("Run summary ({}s wall):\n{}  report: {}/report.json, .md, .csv\n\n{}",
                Math.round((System.nanoTime() - start) / 1e9), summary, outputDir, ReportWriter.markdown(report));
        return report;
    }

    private static String summaryLine(Method method, TrainingOutcome o, int globalBatch) {
        double perRoundShare = o.roundSeconds() > 0 ? o.fitSeconds() / o.roundSeconds() : 0;
        return String.format(java.util.Locale.ROOT,
                "  %-6s %d steps in %.0fs, %.0f img/s; rounds %.0f%% worker fit, %.0f%% averaging/broadcast/data/teacher;"
                        + " %d EMA updates, teacher targets %.1f executor-s%n",
                method.configName(), o.steps(), o.wallSeconds(), o.steps() * globalBatch / Math.max(o.wallSeconds(), 1e-9),
                100 * perRoundShare, 100 * (1 - perRoundShare), o.teacherUpdates(), o.teacherSeconds());
    }

    private ComputationGraph newGraph(ClipModelConfig model, double lambdaOc, double lambdaSd, TrainingSettings t) {
        Adam adam = new Adam(t.learningRate(), t.adamBeta1(), t.adamBeta2(), t.adamEpsilon());
        return ClipGraphBuilder.build(model, lambdaOc, lambdaSd, adam, t.weightDecay(), DataType.FLOAT);
    }

    /** Identifies the settings a checkpoint depends on, so a changed config never resumes a stale one. */
    private String fingerprint() {
        String relevant = ConfigRedaction.render(config.withOnlyPath("carot.model").withFallback(
                config.withOnlyPath("carot.train")).withFallback(config.withOnlyPath("carot.data.parquet-root")));
        return Integer.toHexString(relevant.hashCode());
    }

    private Map<String, Dataset<Row>> loadSplits(String parquetRoot, List<String> evalSplits) throws IOException {
        List<String> needed = new ArrayList<>();
        needed.add(TRAIN);
        needed.add(ModelEvaluation.HELDOUT);
        needed.addAll(evalSplits);
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // One read of the manifest pins every split to the same published prep version.
        PreparedData prepared = PreparedData.open(parquetRoot, hadoop);
        Map<String, Dataset<Row>> out = new LinkedHashMap<>();
        for (String split : needed) {
            Path path = prepared.splitPath(split);
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                throw new UserFacingException("split '" + split + "' has no prepared data at " + path
                        + " (run prep first, or remove it from carot.eval.splits)");
            }
            out.put(split, spark.read().parquet(path.toString()));
        }
        return out;
    }
}
