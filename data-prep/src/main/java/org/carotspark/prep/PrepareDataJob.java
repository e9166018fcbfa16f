package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.Split;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.layout.LayoutEntry;
import org.carotspark.layout.LayoutReader;
import org.carotspark.layout.SplitLayout;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.sparkutil.SerializableHadoopConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring_index;

/**
 * Raw dataset layouts → one Parquet dataset per split, a rejects table and {@code manifest.json}.
 *
 * <p>For each split with a non-empty {@code carot.data.splits.<split>.path}: list every file on the driver
 * (Hadoop FS), classify it with the split's published layout, decode/resize/re-encode on executors, and write
 * {@code <parquet-root>/<split>/}; files that are unlabeled or undecodable go to
 * {@code <parquet-root>/_rejects/split=<split>/} with a reason. The {@code imagenet-heldout} split is carved
 * from train by a seeded hash of each file's id. Every split is written under {@code _staging/} first and then
 * swapped into place, so a failed run never leaves a half-written split where a good one was; re-running
 * overwrites per split (idempotent). Disabled splits keep their previous data and manifest entry.
 */
public final class PrepareDataJob {

    private static final Logger LOG = LoggerFactory.getLogger(PrepareDataJob.class);

    /** Working area under the Parquet root for split datasets not yet swapped in. */
    public static final String STAGING_DIR = "_staging";

    /** The {@code carot.prep} settings. */
    record Settings(String parquetRoot, int imageSize, int jpegQuality, double heldoutFraction, long heldoutSeed,
                    int filesPerTask) {
        static Settings from(Config c) {
            Settings s = new Settings(c.getString("carot.data.parquet-root"), c.getInt("carot.prep.image-size"),
                    c.getInt("carot.prep.jpeg-quality"), c.getDouble("carot.prep.heldout-fraction"),
                    c.getLong("carot.prep.heldout-seed"), c.getInt("carot.prep.files-per-task"));
            if (s.parquetRoot.isBlank()) {
                throw new UserFacingException("carot.data.parquet-root is empty");
            }
            if (s.imageSize < 8) {
                throw new UserFacingException("carot.prep.image-size must be at least 8, got " + s.imageSize);
            }
            if (s.jpegQuality < 1 || s.jpegQuality > 100) {
                throw new UserFacingException("carot.prep.jpeg-quality must be 1..100, got " + s.jpegQuality);
            }
            if (s.heldoutFraction < 0 || s.heldoutFraction >= 1) {
                throw new UserFacingException("carot.prep.heldout-fraction must be in [0, 1), got "
                        + s.heldoutFraction);
            }
            if (s.filesPerTask < 1) {
                throw new UserFacingException("carot.prep.files-per-task must be positive");
            }
            return s;
        }
    }

    /** Config key of a split's raw path. */
    public static String pathKey(Split split) {
        return "carot.data.splits." + split.configName() + ".path";
    }

    public PrepManifest run(SparkSession spark, Config config) throws IOException {
        long start = System.nanoTime();
        Settings settings = Settings.from(config);
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        DatasetMetadata meta = DatasetMetadata.load(config, hconf);

        // Resolve and check every enabled split before doing any work: a typo fails in seconds.
        Map<Split, Path> roots = new LinkedHashMap<>();
        Map<Split, SplitLayout> layouts = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            if (!split.hasRawRoot()) {
                continue;
            }
            String key = pathKey(split);
            String path = config.hasPath(key) ? config.getString(key).strip() : "";
            if (path.isEmpty()) {
                LOG.info("split {}: disabled ({} is empty), previous output left as is", split, key);
                continue;
            }
            SplitLayout layout = LayoutReader.layoutFor(split, meta, config, hconf);
            Path listed = LayoutReader.listedRoot(path, layout);
            if (!HadoopFs.exists(listed, hconf)) {
                throw new UserFacingException("split " + split + ": input path not found: " + listed + " (set " + key
                        + ", or set it to \"\" to skip the split)");
            }
            roots.put(split, listed);
            layouts.put(split, layout);
        }

        Path parquetRoot = HadoopFs.qualify(settings.parquetRoot(), hconf);
        FileSystem outFs = parquetRoot.getFileSystem(hconf);
        Path stagingBase = new Path(parquetRoot, STAGING_DIR);
        outFs.delete(stagingBase, true); // leftovers of a crashed run
        Path staging = new Path(stagingBase, UUID.randomUUID().toString());
        outFs.mkdirs(staging);

        ImagePreprocessor preprocessor = new ImagePreprocessor(settings.imageSize(), settings.jpegQuality());
        SerializableHadoopConf confForExecutors = new SerializableHadoopConf(new Configuration(hconf));
        Map<String, SplitReport> reports = new LinkedHashMap<>();
        for (Map.Entry<Split, Path> e : roots.entrySet()) {
            Split split = e.getKey();
            long t0 = System.nanoTime();
            List<LayoutEntry> entries = LayoutReader.list(split, e.getValue(), layouts.get(split), hconf);
            String source = e.getValue().getFileSystem(hconf).makeQualified(e.getValue()).toString();
            if (split == Split.IMAGENET_TRAIN) {
                List<LayoutEntry> train = new ArrayList<>();
                List<LayoutEntry> heldout = new ArrayList<>();
                for (LayoutEntry le : entries) {
                    String trainId = Split.IMAGENET_TRAIN.configName() + "/" + le.relativePath();
                    (HeldOutSelector.isHeldOut(trainId, settings.heldoutSeed(), settings.heldoutFraction())
                            ? heldout : train).add(le);
                }
                reports.put(split.configName(), processSplit(spark, split, train, source, null, settings, preprocessor,
                        confForExecutors, parquetRoot, staging, t0));
                reports.put(Split.IMAGENET_HELDOUT.configName(), processSplit(spark, Split.IMAGENET_HELDOUT, heldout,
                        source, split.configName(), settings, preprocessor, confForExecutors, parquetRoot, staging,
                        System.nanoTime()));
            } else {
                reports.put(split.configName(), processSplit(spark, split, entries, source, null, settings,
                        preprocessor.withBorderCrop(layouts.get(split).borderCropPixels()), confForExecutors,
                        parquetRoot, staging, t0));
            }
        }

        PrepManifest manifest = writeManifest(outFs, parquetRoot, settings, reports);
        outFs.delete(stagingBase, true);
        LOG.info("prep done: {} split(s) in {} s, manifest {}", reports.size(),
                String.format("%.1f", (System.nanoTime() - start) / 1e9), new Path(parquetRoot,
                        ParquetColumns.MANIFEST_FILE));
        return manifest;
    }

    private SplitReport processSplit(SparkSession spark, Split split, List<LayoutEntry> entries, String source,
                                     String derivedFrom, Settings settings, ImagePreprocessor preprocessor,
                                     SerializableHadoopConf conf, Path parquetRoot, Path staging, long t0)
            throws IOException {
        String name = split.configName();
        int slices = Math.max(1, (entries.size() + settings.filesPerTask() - 1) / settings.filesPerTask());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        spark.sparkContext().setJobDescription("prep " + name);
        JavaRDD<Row> outcomes = jsc.parallelize(entries, slices)
                .mapPartitions(new DecodeFunction(name, preprocessor, conf));
        outcomes.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> all = spark.createDataFrame(outcomes, DecodeFunction.OUTCOME_SCHEMA);
            Dataset<Row> good = all.filter(col(ParquetColumns.REASON).isNull()).drop(ParquetColumns.REASON);
            Dataset<Row> typed = spark.createDataFrame(good.javaRDD(), ParquetColumns.splitSchema());
            Dataset<Row> rejects = all.filter(col(ParquetColumns.REASON).isNotNull())
                    .select(ParquetColumns.SOURCE_PATH, ParquetColumns.REASON);

            Path stagedSplit = new Path(staging, name);
            Path stagedRejects = new Path(staging, "rejects-" + name);
            typed.write().parquet(stagedSplit.toString());
            rejects.coalesce(1).write().parquet(stagedRejects.toString());

            SortedMap<Integer, Long> perLabel = new TreeMap<>();
            for (Row r : good.groupBy(ParquetColumns.LABEL).count().collectAsList()) {
                perLabel.put(r.getInt(0), r.getLong(1));
            }
            SortedMap<String, Long> byReason = new TreeMap<>();
            for (Row r : rejects.groupBy(substring_index(col(ParquetColumns.REASON), ":", 1)).count()
                    .collectAsList()) {
                byReason.put(r.getString(0), r.getLong(1));
            }
            long written = perLabel.values().stream().mapToLong(Long::longValue).sum();
            long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();

            FileSystem fs = parquetRoot.getFileSystem(conf.get());
            Path target = new Path(parquetRoot, name);
            swapInto(fs, stagedSplit, target, new Path(staging, "old-" + name));
            swapInto(fs, stagedRejects, new Path(new Path(parquetRoot, ParquetColumns.REJECTS_DIR), "split=" + name),
                    new Path(staging, "old-rejects-" + name));

            double seconds = (System.nanoTime() - t0) / 1e9;
            SplitReport report = new SplitReport(name, source, target.toString(), entries.size(), written, rejected,
                    perLabel, byReason, seconds, derivedFrom);
            if (!report.reconciles()) {
                throw new IllegalStateException("split " + name + " does not reconcile: " + entries.size()
                        + " files seen but " + written + " written + " + rejected + " rejected");
            }
            LOG.info("split {}: {} files seen, {} rows written, {} rejected{} in {} s -> {}", name, entries.size(),
                    written, rejected, byReason.isEmpty() ? "" : " " + byReason, String.format("%.1f", seconds),
                    target);
            return report;
        } finally {
            outcomes.unpersist(false);
            spark.sparkContext().setJobDescription(null);
        }
    }

    /** Replaces {@code target} by {@code staged}: old target moved aside first, deleted only after the swap. */
    static void swapInto(FileSystem fs, Path staged, Path target, Path aside) throws IOException {
        fs.mkdirs(target.getParent());
        boolean hadOld = fs.exists(target);
        if (hadOld && !fs.rename(target, aside)) {
            throw new IOException("cannot move previous " + target + " aside to " + aside);
        }
        if (!fs.rename(staged, target)) {
            if (hadOld) {
                fs.rename(aside, target);
            }
            throw new IOException("cannot move " + staged + " into place at " + target);
        }
        if (hadOld) {
            fs.delete(aside, true);
        }
    }

    /** Replaces one split's entry of {@code manifest.json}, keeping the others (for jobs that derive a split). */
    static PrepManifest recordSplit(FileSystem fs, Path parquetRoot, Config config, SplitReport report)
            throws IOException {
        return writeManifest(fs, parquetRoot, Settings.from(config), Map.of(report.split(), report));
    }

    private static PrepManifest writeManifest(FileSystem fs, Path parquetRoot, Settings settings,
                                              Map<String, SplitReport> reports) throws IOException {
        Path manifestPath = new Path(parquetRoot, ParquetColumns.MANIFEST_FILE);
        Map<String, SplitReport> merged = new LinkedHashMap<>();
        if (fs.exists(manifestPath)) {
            try {
                PrepManifest old = PrepManifest.fromJson(HadoopFs.readString(manifestPath, fs.getConf()));
                if (old.imageSize() == settings.imageSize()) {
                    merged.putAll(old.splits());
                } else {
                    LOG.warn("previous manifest has image size {} != {}: its entries for splits not re-run are dropped",
                            old.imageSize(), settings.imageSize());
                }
            } catch (RuntimeException e) {
                LOG.warn("ignoring unreadable previous manifest {}: {}", manifestPath, e.toString());
            }
        }
        merged.putAll(reports);
        PrepManifest manifest = new PrepManifest(settings.imageSize(), settings.jpegQuality(),
                settings.heldoutFraction(), settings.heldoutSeed(), merged);
        Path tmp = new Path(parquetRoot, ParquetColumns.MANIFEST_FILE + ".tmp");
        HadoopFs.writeString(tmp, manifest.toJson(), fs.getConf());
        fs.delete(manifestPath, false);
        if (!fs.rename(tmp, manifestPath)) {
            throw new IOException("cannot move " + tmp + " to " + manifestPath);
        }
        return manifest;
    }
}
