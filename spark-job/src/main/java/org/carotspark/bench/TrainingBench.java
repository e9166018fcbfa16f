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
import org.carotspark.ema.EmaSettings;
import org.carotspark.data.ParquetColumns;
import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipInputs;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.seed.Seeds;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.CaptionSampler;
import org.carotspark.train.CarotTrainer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.Dl4jStage;
import org.carotspark.train.Method;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainImages;
import org.carotspark.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code bin/carot bench}: where a training round's time goes. Measures, in one process, the
 * single-JVM fit step of one worker's minibatch (the baseline), then distributed FLYP at several
 * averaging frequencies and in exact mode, and CaRot (EMA teacher targets) both ways, and
 * prints per-step wall time, throughput relative to the baseline, and the worker-fit share.
 */
public final class TrainingBench extends Dl4jStage {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingBench.class);
    private static final List<String> CLASSES = List.of("circle", "square", "star", "ring");
    private static final List<String> TEMPLATES = List.of("a photo of a {}.", "a drawing of the {}.");
    private static final String AVERAGING = TrainingSettings.Mode.PARAMETER_AVERAGING.configName();
    private static final String EXACT = TrainingSettings.Mode.EXACT.configName();

    public TrainingBench() {
        super("bench");
    }

    /** The bench's product, the table, goes to stdout. */
    @Override
    public void run(SparkSession spark, Config config) throws IOException {
        System.out.println(table(spark, config));
    }

    static String table(SparkSession spark, Config config) throws IOException {
        Config b = config.getConfig("carot.bench");
        int images = b.getInt("images");
        int steps = b.getInt("steps");
        SimpleWordTokenizer tokenizer = new SimpleWordTokenizer(CLASSES, TEMPLATES,
                config.getInt("carot.model.context-length"));
        ClipModelConfig model = ClipModelConfig.fromConfig(config, tokenizer.vocabSize());
        TrainingSettings base = TrainingSettings.fromConfig(config, spark.sparkContext().defaultParallelism());
        Dataset<Row> train = randomImages(spark, images, model.imageSize());
        CaptionSampler captions = new CaptionSampler(CLASSES, TEMPLATES, 1);

        double baseline = singleJvmStepSeconds(model, base, tokenizer, captions, steps);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Training bench: %d workers x %d per worker, model image %d, %d steps per run%n"
                        + "baseline: one JVM fits one worker minibatch in %.3f s (%.1f img/s)%n%n"
                        + "| method | mode | s/step | img/s | vs baseline | worker fit share |%n"
                        + "|---|---|---:|---:|---:|---:|%n",
                base.workers(), base.perWorkerBatch(), model.imageSize(), steps, baseline,
                base.perWorkerBatch() / baseline));
        // Discarded warm-up: executor JIT and the first graph builds.
        distributed(spark, config, Method.FLYP, AVERAGING, 1, 2, model, tokenizer, captions, train);
        distributed(spark, config, Method.FLYP, EXACT, 1, 2, model, tokenizer, captions, train);
        for (int k : b.getIntList("averaging-frequencies")) {
            table.append(row("flyp", "averaging every " + k, distributed(spark, config, Method.FLYP, AVERAGING, k,
                    steps, model, tokenizer, captions, train), baseline, base));
        }
        table.append(row("flyp", EXACT, distributed(spark, config, Method.FLYP, EXACT, 1, steps, model, tokenizer,
                captions, train), baseline, base));
        int k = b.getInt("carot-averaging-frequency");
        table.append(row("carot", "averaging every " + k, distributed(spark, config, Method.CAROT, AVERAGING, k, steps,
                model, tokenizer, captions, train), baseline, base));
        table.append(row("carot", EXACT, distributed(spark, config, Method.CAROT, EXACT, 1, steps, model, tokenizer,
                captions, train), baseline, base));
        return table.toString();
    }

    private static String row(String method, String mode, TrainingOutcome o, double baseline, TrainingSettings s) {
        double perStep = o.timings().wallSeconds() / o.steps();
        double imgPerSec = s.globalBatchSize() / perStep;
        double ratio = imgPerSec / (s.perWorkerBatch() / baseline);
        String line = String.format(Locale.ROOT, "| %s | %s | %.3f | %.1f | %.2fx | %.0f%% |%n", method, mode, perStep,
                imgPerSec, ratio, 100 * o.timings().fitSeconds() / o.timings().wallSeconds());
        LOG.info("bench {}", line.trim());
        return line;
    }

    /** The configured training in {@code mode}, {@code steps} steps long, rounds of k steps, teacher updated every round. */
    private static TrainingOutcome distributed(SparkSession spark, Config config, Method method, String mode, int k,
                                               int steps,
                                               ClipModelConfig model, SimpleWordTokenizer tokenizer,
                                               CaptionSampler captions, Dataset<Row> train) throws IOException {
        Config run = ConfigFactory.parseMap(Map.of(
                "carot.train.mode", mode,
                "carot.train.averaging-frequency", k,
                "carot.train.max-steps", steps,
                "carot.train.epochs", 1000,
                "carot.train.warmup-steps", 0,
                "carot.train.ema.interval-steps", k)).withFallback(config);
        TrainingSettings s = TrainingSettings.fromConfig(run, spark.sparkContext().defaultParallelism());
        ComputationGraph g = TrainingGraphFactory.build(model, method.objective(CarotObjective.fromConfig(run)), s,
                steps);
        CarotTrainer trainer = new CarotTrainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), s,
                EmaSettings.fromConfig(run), tokenizer, captions, TrainImages.fromConfig(run, model.imageSize()),
                CheckpointStore.disabled());
        return trainer.train(method, g, train);
    }

    private static double singleJvmStepSeconds(ClipModelConfig model, TrainingSettings settings,
                                               SimpleWordTokenizer tokenizer, CaptionSampler captions, int steps)
            throws IOException {
        int batch = settings.perWorkerBatch();
        ComputationGraph g = TrainingGraphFactory.build(model, CarotObjective.CONTRASTIVE_ONLY, settings, steps + 3);
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
                new INDArray[] {CarotObjective.noTeacher(batch, DataType.FLOAT)});
        for (int i = 0; i < 3; i++) {
            g.fit(mds); // warm-up: graph construction, JIT
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            g.fit(mds);
        }
        return (System.nanoTime() - t0) / 1e9 / steps;
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
