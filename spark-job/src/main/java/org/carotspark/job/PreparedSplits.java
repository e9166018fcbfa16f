package org.carotspark.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DataVersion;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.sparkutil.HadoopFs;

import java.io.IOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The prepared Parquet splits a run reads, checked before any work: every split it needs exists, and
 * the images were prepared at the size the model takes.
 */
final class PreparedSplits {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PreparedSplits.class);

    private final Map<Split, Dataset<Row>> splits;
    private final int imageSize;
    private final PreparedData prepared;
    private final SparkSession spark;

    private PreparedSplits(Map<Split, Dataset<Row>> splits, int imageSize, PreparedData prepared, SparkSession spark) {
        this.splits = splits;
        this.imageSize = imageSize;
        this.prepared = prepared;
        this.spark = spark;
    }

    static PreparedSplits open(SparkSession spark, String parquetRoot, Collection<Split> needed) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        // One read of the manifest pins every split to the same published prep version.
        PreparedData prepared = PreparedData.open(parquetRoot, hadoop);
        Path manifest = new Path(prepared.root(), ParquetColumns.MANIFEST_FILE);
        if (!HadoopFs.exists(manifest, hadoop)) {
            throw new UserFacingException("no prepared data for " + needed.stream().map(Split::configName)
                    .collect(Collectors.joining(", ")) + ": " + manifest + " does not exist (run prep first, or set"
                    + " carot.data.parquet-root to the root prep wrote)");
        }
        int imageSize = prepared.imageSize().orElseThrow(
                () -> new UserFacingException(manifest + " has no image_size: re-run prep"));
        Map<Split, Dataset<Row>> out = new EnumMap<>(Split.class);
        for (Split split : needed) {
            Path path = prepared.splitPath(split.configName());
            if (!HadoopFs.exists(path, hadoop)) {
                throw new UserFacingException("split '" + split + "' has no prepared data at " + path
                        + " (run prep first, or remove it from carot.eval.splits)");
            }
            out.put(split, spark.read().parquet(path.toString()));
        }
        return new PreparedSplits(out, imageSize, prepared, spark);
    }

    /** Fails with one line unless the prepared images are {@code modelImageSize} pixels square. */
    void requireImageSize(int modelImageSize) {
        if (imageSize != modelImageSize) {
            throw new UserFacingException("the prepared images are " + imageSize + " px but carot.model.image-size is "
                    + modelImageSize + ": set carot.prep.image-size = " + modelImageSize + " and re-run prep, or"
                    + " carot.model.image-size = " + imageSize);
        }
    }

    /** The published prep version read ({@code version} of manifest.json); "" for an unversioned root. */
    String version() {
        return prepared.version().orElse("");
    }

    /**
     * The data training reads: the train split (the held-out split is carved with it). Its prep version is the one
     * that wrote the train split; a later prep of other splits alone (ImageNet-C) does not change it.
     */
    DataVersion trainingData() throws IOException {
        return logged("training", new DataVersion(prepared.splitVersion(Split.IMAGENET_TRAIN.configName())
                .orElse(version()), digest(List.of(Split.IMAGENET_TRAIN))));
    }

    /** The data a run's evaluation rows come from: every split it read, under the published version. */
    DataVersion evaluatedData() throws IOException {
        return logged("evaluation", new DataVersion(version(), digest(splits.keySet())));
    }

    private static DataVersion logged(String what, DataVersion data) {
        LOG.info("{} data: {}, content digest {}", what, data.describe(),
                data.digest().isEmpty() ? "unknown (no content hashes)" : data.digest().substring(0, 16));
        return data;
    }

    /**
     * A digest of the splits' content: the prep settings that shaped the images, and per split the row count and
     * two order-independent sums of 64-bit hashes of (source SHA-256, id, wnid) over prep's content-hash table.
     * "" when a split has no such table (prepared before content hashes), so versions are compared instead.
     */
    private String digest(Collection<Split> which) throws IOException {
        StringBuilder content = new StringBuilder(prepared.preparation());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (Split split : which) {
            Path hashes = prepared.contentHashes(split.configName()).orElse(null);
            if (hashes == null || !HadoopFs.exists(hashes, hadoop)) {
                return "";
            }
            Column sha = col(PreparedData.CONTENT_SHA256);
            Column id = col(ParquetColumns.ID);
            Column wnid = coalesce(col(ParquetColumns.WNID), lit(""));
            Row sums = spark.read().parquet(hashes.toString()).agg(count(lit(1)),
                    sum(xxhash64(sha, id, wnid).cast("decimal(38,0)")),
                    sum(hash(wnid, id, sha).cast("decimal(38,0)"))).first();
            content.append(split.configName()).append(':').append(sums.get(0)).append(',').append(sums.get(1))
                    .append(',').append(sums.get(2)).append(';');
        }
        return org.carotspark.config.ConfigDigest.sha256Hex(content.toString());
    }

    Dataset<Row> get(Split split) {
        return splits.get(split);
    }
}
