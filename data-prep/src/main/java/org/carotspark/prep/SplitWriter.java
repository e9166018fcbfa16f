package org.carotspark.prep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.Split;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.layout.LayoutEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring_index;

/** Writes one split's rows, rejects and content hashes into the run's version directory. */
final class SplitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SplitWriter.class);
    /** Per-version directory of the content-hash tables ({@link DuplicateReport}). */
    static final String HASHES_DIR = org.carotspark.data.PreparedData.CONTENT_HASHES_DIR;

    private final SparkSession spark;
    private final PrepOutputRoot out;
    private final String version;
    private final String versionDir;
    private final PrepSettings settings;
    private final SourceReader reader;
    private final List<String> hashDirs = new ArrayList<>();

    SplitWriter(SparkSession spark, PrepOutputRoot out, String version, String versionDir, PrepSettings settings,
                SourceReader reader) {
        this.spark = spark;
        this.out = out;
        this.version = version;
        this.versionDir = versionDir;
        this.settings = settings;
        this.reader = reader;
    }

    List<String> hashDirs() {
        return hashDirs;
    }

    /** Writes one split, each image through {@code images}. */
    SplitReport write(Split split, List<LayoutEntry> entries, String source, String derivedFrom,
                      ImagePreprocessor images, long t0) throws IOException {
        String name = split.configName();
        int slices = Math.max(1, (entries.size() + settings.filesPerTask() - 1) / settings.filesPerTask());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        spark.sparkContext().setJobDescription("prep " + name);
        JavaRDD<Row> outcomes = jsc.parallelize(entries, slices)
                .mapPartitions(new DecodeFunction(name, images, reader));
        outcomes.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> all = spark.createDataFrame(outcomes, DecodeFunction.OUTCOME_SCHEMA);
            Dataset<Row> good = all.filter(col(ParquetColumns.REASON).isNull());
            Dataset<Row> typed = spark.createDataFrame(
                    good.drop(ParquetColumns.REASON, DecodeFunction.SHA256).javaRDD(), ParquetColumns.splitSchema());
            Dataset<Row> rejects = all.filter(col(ParquetColumns.REASON).isNotNull())
                    .select(ParquetColumns.SOURCE_PATH, ParquetColumns.REASON);

            String dataPath = versionDir + "/" + name;
            String rejectsPath = versionDir + "/" + ParquetColumns.REJECTS_DIR + "/split=" + name;
            String hashesPath = versionDir + "/" + HASHES_DIR + "/" + name;
            typed.write().parquet(out.resolve(dataPath).toString());
            rejects.coalesce(1).write().parquet(out.resolve(rejectsPath).toString());
            good.select(DecodeFunction.SHA256, ParquetColumns.ID, ParquetColumns.WNID, ParquetColumns.SPLIT)
                    .write().parquet(out.resolve(hashesPath).toString());
            hashDirs.add(out.resolve(hashesPath).toString());

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

            double seconds = (System.nanoTime() - t0) / 1e9;
            SplitReport report = new SplitReport(name, source, version, dataPath, out.resolve(dataPath).toString(),
                    rejectsPath, entries.size(), written, rejected, perLabel, byReason, seconds, derivedFrom);
            if (!report.reconciles()) {
                throw new IllegalStateException("split " + name + " does not reconcile: " + entries.size()
                        + " files seen but " + written + " written + " + rejected + " rejected");
            }
            LOG.info("split {}: {} files seen, {} rows written, {} rejected{} in {} s", name, entries.size(),
                    written, rejected, byReason.isEmpty() ? "" : " " + byReason, String.format("%.1f", seconds));
            return report;
        } finally {
            outcomes.unpersist(false);
            spark.sparkContext().setJobDescription(null);
        }
    }
}
