package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.carotspark.config.UserFacingException;
import org.carotspark.corrupt.Corruption;
import org.carotspark.corrupt.ImageNetC;
import org.carotspark.data.CorruptionNames;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.image.RgbImage;
import org.carotspark.seed.Seeds;
import org.carotspark.sparkutil.HadoopFs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Optional;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;

/**
 * {@code bin/carot corrupt}: turns any prepared split into an ImageNet-C style split — every image
 * (or a seeded per-class sample) under each configured corruption at each severity
 * ({@link ImageNetC}), written as {@code <parquet-root>/<output-split>/} with the split schema, the
 * {@code corruption} and {@code severity} columns set and ids {@code <output>/<corruption>/<severity>/<id
 * without its split>} (the real IN-C layout's ids for a val source). It is published as a new prep version,
 * as prep publishes ({@link PrepOutputRoot}); settings under {@code carot.corrupt}.
 * Runs as the stage {@code corrupt} ({@link CorruptStage}).
 */
public final class SplitCorruption {

    private static final Logger LOG = LoggerFactory.getLogger(SplitCorruption.class);
    /** Seed purpose of the per-class sample. */
    static final String SAMPLE_PURPOSE = "imagenet-c-sample";

    /** {@code carot.corrupt}. */
    record Settings(String parquetRoot, String sourceSplit, String outputSplit, List<Corruption> corruptions,
                    List<Integer> severities, int imagesPerClass, long seed, int jpegQuality, int imagesPerTask)
            implements Serializable {

        static Settings from(Config config) {
            Config c = config.getConfig("carot.corrupt");
            List<Corruption> corruptions = new ArrayList<>();
            for (String name : c.getStringList("corruptions")) {
                Corruption k = Corruption.fromConfigName(name.strip());
                if (k == null) {
                    throw new UserFacingException("carot.corrupt.corruptions: unknown corruption '" + name
                            + "' (known: " + CorruptionNames.BENCHMARK + ")");
                }
                corruptions.add(k);
            }
            List<Integer> severities = c.getIntList("severities");
            for (int s : severities) {
                if (s < CorruptionNames.MIN_SEVERITY || s > CorruptionNames.MAX_SEVERITY) {
                    throw new UserFacingException("carot.corrupt.severities must be 1..5, got " + severities);
                }
            }
            if (corruptions.isEmpty() || severities.isEmpty()) {
                throw new UserFacingException("carot.corrupt.corruptions and severities must not be empty");
            }
            Settings s = new Settings(config.getString("carot.data.parquet-root"), c.getString("source-split").strip(),
                    c.getString("output-split").strip(), List.copyOf(corruptions), List.copyOf(severities),
                    c.getInt("images-per-class"), c.getLong("seed"), c.getInt("jpeg-quality"),
                    c.getInt("images-per-task"));
            if (s.sourceSplit.isEmpty() || s.outputSplit.isEmpty() || s.sourceSplit.equals(s.outputSplit)) {
                throw new UserFacingException("carot.corrupt.source-split and output-split must be two different"
                        + " split names, got '" + s.sourceSplit + "' and '" + s.outputSplit + "'");
            }
            if (s.imagesPerClass < 0 || s.imagesPerTask < 1 || s.jpegQuality < 1 || s.jpegQuality > 100) {
                throw new UserFacingException("carot.corrupt: images-per-class must be >= 0, images-per-task >= 1 and"
                        + " jpeg-quality 1..100");
            }
            return s;
        }
    }

    /**
     * Writes the corrupted split as a new prep version (the published splits carried over, this one added or
     * replaced), under the same lock as prep, and returns its manifest entry.
     */
    public SplitReport run(SparkSession spark, Config config) throws IOException {
        long t0 = System.nanoTime();
        Settings s = Settings.from(config);
        PrepSettings prep = PrepSettings.from(config);
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        PrepOutputRoot out = PrepOutputRoot.open(s.parquetRoot(), hconf);
        Clock clock = Clock.systemUTC();
        try (PrepLock lock = PrepLock.acquire(out.fs(), out.root(), prep.lockStaleAfter(), clock, () -> { })) {
            PrepOutputRoot.Current current = out.current();
            PrepManifest published = current.manifest().orElseThrow(() -> new UserFacingException(
                    "no published prep in " + out.root() + " (run prep first)"));
            Path source = PreparedData.open(s.parquetRoot(), hconf).splitPath(s.sourceSplit());
            if (!HadoopFs.exists(source, hconf)) {
                throw new UserFacingException("carot.corrupt.source-split '" + s.sourceSplit() + "' has no prepared data"
                        + " at " + source + " (run prep first)");
            }
            Dataset<Row> rows = sample(spark.read().parquet(source.toString()), s);
            long images = rows.count();
            if (images == 0) {
                throw new UserFacingException("split '" + s.sourceSplit() + "' at " + source + " has no rows to corrupt");
            }
            int partitions = (int) Math.max(1, (images + s.imagesPerTask() - 1) / s.imagesPerTask());
            JavaRDD<Row> corrupted = rows.javaRDD().repartition(partitions).mapPartitions(new CorruptFunction(s));

            String version = PrepOutputRoot.newVersionId(clock);
            String dataPath = PrepOutputRoot.relativeVersionDir(version) + "/" + s.outputSplit();
            Path target = out.resolve(dataPath);
            spark.sparkContext().setJobDescription("corrupt " + s.sourceSplit() + " -> " + s.outputSplit());
            try {
                spark.createDataFrame(corrupted, ParquetColumns.splitSchema()).write().parquet(target.toString());
                SortedMap<Integer, Long> perLabel = new TreeMap<>();
                for (Row r : spark.read().parquet(target.toString()).groupBy(ParquetColumns.LABEL).count()
                        .collectAsList()) {
                    perLabel.put(r.getInt(0), r.getLong(1));
                }
                long written = perLabel.values().stream().mapToLong(Long::longValue).sum();
                SplitReport report = new SplitReport(s.outputSplit(), source.toString(), version, dataPath,
                        target.toString(), null, written, written, 0, perLabel, new TreeMap<>(),
                        (System.nanoTime() - t0) / 1e9, s.sourceSplit());
                PrepManifest manifest = published.withSplit(version, report, prep.keepPreviousVersions());
                out.writeVersionManifest(manifest);
                lock.checkStillHeld();
                out.publish(manifest);
                out.collectGarbage(new PrepOutputRoot.Current(Optional.of(manifest), false));
                LOG.info("corrupt: {} images of {} x {} corruptions x {} severities -> {} rows in {} s at {}", images,
                        s.sourceSplit(), s.corruptions().size(), s.severities().size(), written,
                        String.format("%.1f", report.seconds()), target);
                return report;
            } finally {
                spark.sparkContext().setJobDescription(null);
            }
        }
    }

    /** Every row, or a seeded sample per class independent of file order and partitioning. */
    private static Dataset<Row> sample(Dataset<Row> rows, Settings s) {
        if (s.imagesPerClass() == 0) {
            return rows;
        }
        long seed = s.seed();
        UserDefinedFunction draw = udf((UDF1<String, Double>) id -> Seeds.unit(seed, SAMPLE_PURPOSE, id),
                DataTypes.DoubleType);
        return rows.withColumn("_rank", row_number().over(Window.partitionBy(ParquetColumns.LABEL)
                        .orderBy(draw.apply(col(ParquetColumns.ID)), col(ParquetColumns.ID))))
                .filter(col("_rank").leq(s.imagesPerClass())).drop("_rank");
    }

    /** Expands each source row into one row per (corruption, severity); decodes each source image once. */
    static final class CorruptFunction implements FlatMapFunction<Iterator<Row>, Row> {
        private static final long serialVersionUID = 1L;
        private final Settings settings;

        CorruptFunction(Settings settings) {
            this.settings = settings;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return new Iterator<>() {
                private final List<Row> pending = new ArrayList<>();

                @Override
                public boolean hasNext() {
                    while (pending.isEmpty() && rows.hasNext()) {
                        pending.addAll(expand(rows.next()));
                    }
                    return !pending.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return pending.remove(0);
                }
            };
        }

        List<Row> expand(Row r) {
            String id = r.getAs(ParquetColumns.ID);
            RgbImage image;
            try {
                image = ImageDecoder.decode(r.getAs(ParquetColumns.IMAGE));
            } catch (ImageDecodeException e) {
                throw new IllegalStateException("prepared image " + id + " does not decode: " + e.getMessage(), e);
            }
            String prefix = settings.sourceSplit() + "/";
            String relative = id.startsWith(prefix) ? id.substring(prefix.length()) : id;
            List<Row> out = new ArrayList<>();
            for (Corruption c : settings.corruptions()) {
                for (int severity : settings.severities()) {
                    RgbImage corrupted = ImageNetC.apply(image, c, severity,
                            ImageNetC.seedFor(settings.seed(), id, c, severity));
                    out.add(RowFactory.create(settings.outputSplit() + "/" + c.configName() + "/" + severity + "/"
                                    + relative, ImagePreprocessor.encodeJpeg(corrupted, settings.jpegQuality()),
                            r.getAs(ParquetColumns.LABEL), r.getAs(ParquetColumns.WNID), settings.outputSplit(),
                            r.getAs(ParquetColumns.SOURCE_PATH), c.configName(), severity));
                }
            }
            return out;
        }
    }
}
