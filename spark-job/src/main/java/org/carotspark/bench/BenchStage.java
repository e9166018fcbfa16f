package org.carotspark.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.ParquetColumns;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ClipInputs;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.report.MeasurementsPage;
import org.carotspark.seed.Seeds;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.DistributedTrainer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.Dl4jStage;
import org.carotspark.train.Method;
import org.carotspark.train.RoundTimings;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.TrainImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * {@code bin/carot bench}: where a training round's time goes. For each model size in {@code carot.bench.models},
 * measures in one process the single-JVM fit step of one worker's minibatch (the baseline) and the same step in
 * PyTorch ({@link PytorchStep}), time and peak resident memory of both, then (unless {@code carot.bench.distributed}
 * is off) distributed FLYP at each averaging frequency and in exact mode (and CaRot with its EMA teacher for the
 * first size), and prints per-step wall time, throughput relative to the baseline, and where the round's time went.
 * The image-decoding table ({@link DecodeBench}) comes first.
 */
public final class BenchStage extends Dl4jStage {

    private static final Logger LOG = LoggerFactory.getLogger(BenchStage.class);
    private static final List<String> CLASSES = List.of("circle", "square", "star", "ring");
    private static final List<String> TEMPLATES = List.of("a photo of a {}.", "a drawing of the {}.");
    private static final String AVERAGING = TrainingSettings.Mode.PARAMETER_AVERAGING.configName();
    private static final String EXACT = TrainingSettings.Mode.EXACT.configName();
    private static final String COLLECTIVE = TrainingSettings.Mode.COLLECTIVE.configName();

    public BenchStage() {
        super("bench");
    }

    /**
     * The bench's product, the tables, goes to stdout and to its section of the measurements page: "bench" for the
     * whole bench, "bench-single-jvm" with {@code carot.bench.distributed = false} (so a quick run leaves the full
     * tables in place).
     */
    @Override
    public void run(SparkSession spark, Config config) throws IOException {
        Config b = config.getConfig("carot.bench");
        boolean distributed = b.getBoolean("distributed");
        String section = distributed ? "bench" : "bench-single-jvm";
        Optional<MeasurementsPage.Section> page = MeasurementsPage.section(config, section);
        long start = System.nanoTime();
        List<String> tables = new ArrayList<>();
        tables.add(DecodeBench.table(b.getInt("decode-images"), b.getInt("decode-model-image-size"),
                b.getInt("decode-train-short-side")));
        System.out.println(tables.get(0));
        tables.add(table(spark, config));
        System.out.println(tables.get(1));
        if (distributed) {
            try {
                tables.add(CollectiveBench.table(b.getIntList("collective-buffers-mb"), b.getInt("collective-repeats")));
                System.out.println(tables.get(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (page.isPresent()) {
            page.get().write(pageSection(spark, b, section, (System.nanoTime() - start) / 1e9, tables),
                    spark.sparkContext().hadoopConfiguration());
            LOG.info("bench tables written to {} (section {})", page.get().page().path(), section);
        }
    }

    /** The measurements page's section: the command, when and on what it ran, its settings, then the tables. */
    private static String pageSection(SparkSession spark, Config b, String section, double seconds,
                                      List<String> tables) {
        String command = "bin/carot bench" + (section.equals("bench") ? "" : " -Dcarot.bench.distributed=false");
        String settings = String.format(Locale.ROOT, "Settings: %d steps per row, global batch %d on %d workers,"
                        + " models %s.", b.getInt("steps"), b.getInt("global-batch-size"),
                spark.sparkContext().defaultParallelism(),
                b.getConfigList("models").stream().map(m -> m.getString("name")).toList());
        return "## `" + command + "`\n\n" + MeasurementsPage.provenance(Instant.now(), seconds) + " " + settings
                + "\n\n" + String.join("\n", tables);
    }

    static String table(SparkSession spark, Config config) throws IOException {
        Config b = config.getConfig("carot.bench");
        int steps = b.getInt("steps");
        boolean distributed = b.getBoolean("distributed");
        int threads = ompThreads();
        CaptionSampler captions = new CaptionSampler(CLASSES, TEMPLATES, 1);
        StringBuilder baselines = new StringBuilder(String.format(Locale.ROOT,
                "Single-JVM training step (the baseline of each model's rows) and the same step in PyTorch, %d thread(s)"
                        + "; peak = the process's peak resident memory during the measured steps minus its resident"
                        + " memory just before the model is built%n%n| model | parameters | batch | DL4J s/step"
                        + " | PyTorch s/step | DL4J / PyTorch | DL4J peak MB | PyTorch peak MB |%n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|%n", threads));
        StringBuilder rows = new StringBuilder(String.format(Locale.ROOT,
                "Distributed training, %d steps per row (at least one whole round); time shares of the round"
                        + " (fit, data, teacher targets, broadcast, aggregation, straggler)%n%n| model | method | mode"
                        + " | s/step | img/s | vs single JVM | fit | data | teacher | broadcast | aggregation | straggler |%n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n", steps));
        List<String> torchLines = new ArrayList<>();
        boolean first = true;
        for (Config size : b.getConfigList("models")) {
            Config run = size.getConfig("model").atPath("carot.model")
                    .withFallback(ConfigFactory.parseMap(Map.of(
                            "carot.train.global-batch-size", b.getInt("global-batch-size"),
                            "carot.train.min-pairs-per-worker", 2)))
                    .withFallback(config);
            String name = size.getString("name");
            SimpleWordTokenizer tokenizer = new SimpleWordTokenizer(CLASSES, TEMPLATES,
                    run.getInt("carot.model.context-length"));
            ClipModelConfig model = ClipModelConfig.fromConfig(run, tokenizer.vocabSize());
            TrainingSettings base = TrainingSettings.fromConfig(run, spark.sparkContext().defaultParallelism());
            // numParams() leaves out SameDiff layers' parameters: count the flat vector.
            long params = TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY, base, 1).params().length();

            SingleJvmStep step = singleJvmStep(model, base, tokenizer, captions, steps);
            double baseline = step.seconds();
            PytorchStep.Result torch = PytorchStep.measure(b.getString("python"), b.getString("pytorch-script"), model,
                    base.perWorkerBatch(), threads, steps);
            torchLines.add(name + ": " + torch.line());
            LOG.info("bench {} single JVM {} s/step, peak {} MB at batch {}; {}", name,
                    String.format(Locale.ROOT, "%.3f", baseline), step.peakMb(), base.perWorkerBatch(), torch.line());
            baselines.append(String.format(Locale.ROOT, "| %s | %,d | %d | %.3f | %s | %s | %d | %s |%n", name, params,
                    base.perWorkerBatch(), baseline,
                    torch.stepSeconds().isPresent() ? String.format(Locale.ROOT, "%.3f", torch.stepSeconds().getAsDouble())
                            : "—",
                    torch.stepSeconds().isPresent() ? String.format(Locale.ROOT, "%.2fx",
                            baseline / torch.stepSeconds().getAsDouble()) : "—",
                    step.peakMb(), torch.peakMb().isPresent() ? "" + torch.peakMb().getAsLong() : "—"));
            if (!distributed) {
                continue;
            }

            Dataset<Row> train = randomImages(spark, b.getInt("images"), model.imageSize());
            try {
                // Discarded warm-up: executor JIT and the first graph builds.
                distributed(spark, run, Method.FLYP, AVERAGING, 1, 2, model, tokenizer, captions, train);
                for (int k : b.getIntList("averaging-frequencies")) {
                    rows.append(row(name, "flyp", "averaging every " + k, distributed(spark, run, Method.FLYP, AVERAGING,
                            k, steps, model, tokenizer, captions, train), baseline, base));
                }
                rows.append(row(name, "flyp", EXACT, distributed(spark, run, Method.FLYP, EXACT, 1, steps, model,
                        tokenizer, captions, train), baseline, base));
                rows.append(row(name, "flyp", COLLECTIVE + " (one segment)", distributed(spark, run, Method.FLYP,
                        COLLECTIVE, 1, steps, model, tokenizer, captions, train), baseline, base));
                if (first) {
                    int k = b.getInt("carot-averaging-frequency");
                    rows.append(row(name, "carot", "averaging every " + k, distributed(spark, run, Method.CAROT,
                            AVERAGING, k, steps, model, tokenizer, captions, train), baseline, base));
                    rows.append(row(name, "carot", EXACT, distributed(spark, run, Method.CAROT, EXACT, 1, steps, model,
                            tokenizer, captions, train), baseline, base));
                    rows.append(row(name, "carot", COLLECTIVE + " (segments of " + k + ")", distributed(spark, run,
                            Method.CAROT, COLLECTIVE, k, steps, model, tokenizer, captions, train), baseline, base));
                }
                first = false;
            } catch (UserFacingException e) {
                // A size this process cannot hold (e.g. the largest in a small local heap): say so, measure the rest.
                LOG.warn("bench {}: skipped: {}", name, e.getMessage());
                rows.append(String.format(Locale.ROOT, "| %s | — | skipped: %s |%n", name, e.getMessage()));
            }
            train.unpersist();
        }
        String table = baselines + "\n" + String.join("\n", torchLines) + "\n";
        return distributed ? table + "\n" + rows : table;
    }

    /** ND4J's BLAS/OpenMP threads: what the PyTorch step is given too. */
    private static int ompThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
            return omp == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(omp.trim()));
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    private static String row(String model, String method, String mode, TrainingOutcome o, double baseline,
                              TrainingSettings s) {
        RoundTimings t = o.timings();
        double perStep = t.wallSeconds() / o.steps();
        double imgPerSec = s.globalBatchSize() / perStep;
        double ratio = imgPerSec / (s.perWorkerBatch() / baseline);
        double w = Math.max(t.wallSeconds(), 1e-12);
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.1f | %.2fx | %.0f%% | %.0f%% | %.0f%% |"
                        + " %.0f%% | %.0f%% | %.0f%% |%n", model, method, mode, perStep, imgPerSec, ratio,
                100 * t.fitSeconds() / w, 100 * t.dataSeconds() / w, 100 * t.teacherSeconds() / w,
                100 * t.broadcastSeconds() / w, 100 * t.aggregationSeconds() / w, 100 * t.stragglerSeconds() / w);
        LOG.info("bench {}", line.trim());
        return line;
    }

    /** The configured training in {@code mode}, {@code steps} steps long, rounds of k steps, teacher updated every round. */
    private static TrainingOutcome distributed(SparkSession spark, Config config, Method method, String mode, int k,
                                               int steps,
                                               ClipModelConfig model, SimpleWordTokenizer tokenizer,
                                               CaptionSampler captions, Dataset<Row> train) throws IOException {
        int rowSteps = Math.max(steps, k);
        Config run = ConfigFactory.parseMap(Map.of(
                "carot.train.mode", mode,
                "carot.train.averaging-frequency", k,
                "carot.train.max-steps", rowSteps,
                "carot.train.epochs", 1000,
                "carot.train.warmup-steps", 0,
                "carot.train.ema.interval-steps", k)).withFallback(config);
        TrainingSettings s = TrainingSettings.fromConfig(run, spark.sparkContext().defaultParallelism());
        ComputationGraph g = TrainingGraphFactory.build(model, method.loss(CarotLoss.fromConfig(run)), s,
                rowSteps);
        DistributedTrainer trainer = new DistributedTrainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), s,
                EmaSettings.fromConfig(run), tokenizer, captions, TrainImages.fromConfig(run, model.imageSize()),
                CheckpointStore.disabled());
        return trainer.train(method, g, train);
    }

    /** The single-JVM step: wall seconds per step, and peak resident MB above the resident size before the build. */
    private record SingleJvmStep(double seconds, long peakMb) {
    }

    private static SingleJvmStep singleJvmStep(ClipModelConfig model, TrainingSettings settings,
                                               SimpleWordTokenizer tokenizer, CaptionSampler captions, int steps)
            throws IOException {
        int batch = settings.perWorkerBatch();
        long beforeModelKb = ResidentMemory.settledKb();
        ComputationGraph g = TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY, settings, steps + 3);
        Random r = new Random(Seeds.derive(settings.shuffleSeed(), "bench/single-jvm"));
        List<byte[]> jpegs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            jpegs.add(randomJpeg(r, model.imageSize()));
            texts.add(captions.caption("bench/" + i, i % CLASSES.size(), 0));
        }
        INDArray x = ClipImageTensors.batch(jpegs, model.imageSize(), DataType.FLOAT);
        INDArray ids = TokenIds.batch(tokenizer, texts);
        MultiDataSet mds = new MultiDataSet(ClipInputs.of(x, ids),
                new INDArray[] {CarotLoss.noTeacher(batch, DataType.FLOAT)});
        for (int i = 0; i < 3; i++) {
            g.fit(mds); // warm-up: graph construction, JIT
        }
        boolean exactPeak = ResidentMemory.resetPeak();
        long sampledPeakKb = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            g.fit(mds);
            if (!exactPeak) {
                sampledPeakKb = Math.max(sampledPeakKb, ResidentMemory.currentKb());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9 / steps;
        long peakKb = exactPeak ? ResidentMemory.peakKb() : sampledPeakKb;
        return new SingleJvmStep(seconds, Math.round((peakKb - beforeModelKb) / 1024.0));
    }

    private static Dataset<Row> randomImages(SparkSession spark, int n, int size) throws IOException {
        Random r = new Random(Seeds.derive(n, "bench/images"));
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create("bench/" + i, i % CLASSES.size(), randomJpeg(r, size)));
        }
        StructType schema = new StructType().add(ParquetColumns.ID, DataTypes.StringType)
                .add(ParquetColumns.LABEL, DataTypes.IntegerType).add(ParquetColumns.IMAGE, DataTypes.BinaryType);
        return spark.createDataFrame(rows, schema).cache();
    }

    private static byte[] randomJpeg(Random r, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, r.nextInt(0xffffff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
