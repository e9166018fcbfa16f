package org.carotspark.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.sparkutil.HadoopFs;

import java.io.IOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The prepared Parquet splits a run reads, checked before any work: every split it needs exists, and
 * the images were prepared at the size the model takes.
 */
final class PreparedSplits {

    private final Map<Split, Dataset<Row>> splits;
    private final int imageSize;
    private final PreparedData prepared;

    private PreparedSplits(Map<Split, Dataset<Row>> splits, int imageSize, PreparedData prepared) {
        this.splits = splits;
        this.imageSize = imageSize;
        this.prepared = prepared;
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
        return new PreparedSplits(out, imageSize, prepared);
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
     * The prep version of the data training reads: the one that wrote the train split (and the held-out split
     * carved from it). A later prep of other splits alone (ImageNet-C) does not change it.
     */
    String trainingVersion() {
        return prepared.splitVersion(Split.IMAGENET_TRAIN.configName()).orElse(version());
    }

    Dataset<Row> get(Split split) {
        return splits.get(split);
    }
}
