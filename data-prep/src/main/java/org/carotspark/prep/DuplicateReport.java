package org.carotspark.prep;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.data.ParquetColumns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Files with identical bytes among the rows a prep run wrote, found by the SHA-256 of each source file. Reported
 * in the manifest, not removed: the same photo under two labels (a labelling conflict) or in train and an
 * evaluation split (leakage) is for the user to judge. Splits carried over from an earlier version are not
 * compared. The full table of hashes is {@code <version>/_content-hashes/<split>/} (sha256, id, wnid, split).
 *
 * @param groups                    distinct contents that occur more than once
 * @param files                     rows in those groups
 * @param groupsWithDifferentLabels groups whose rows disagree on the label (wnid; ObjectNet: folder)
 * @param groupsAcrossSplits        groups spanning more than one split
 * @param examples                  the first groups by hash: sha256 → "id (wnid)" of each row
 */
public record DuplicateReport(long groups, long files, long groupsWithDifferentLabels, long groupsAcrossSplits,
                              String hashesPath, Map<String, List<String>> examples) {

    /** Groups listed in the manifest; the hashes table holds all. */
    static final int MAX_EXAMPLES = 20;

    static final StructType HASH_SCHEMA = new StructType()
            .add(DecodeFunction.SHA256, DataTypes.StringType, false)
            .add(ParquetColumns.ID, DataTypes.StringType, false)
            .add(ParquetColumns.WNID, DataTypes.StringType, false)
            .add(ParquetColumns.SPLIT, DataTypes.StringType, false);

    static DuplicateReport find(SparkSession spark, List<String> hashDirs, String hashesPath) {
        if (hashDirs.isEmpty()) {
            return new DuplicateReport(0, 0, 0, 0, hashesPath, Map.of());
        }
        // An explicit schema: a split without rows leaves a directory with no data file to infer one from.
        Dataset<Row> hashes = spark.read().schema(HASH_SCHEMA).parquet(hashDirs.toArray(new String[0]));
        Dataset<Row> groups = hashes.groupBy(DecodeFunction.SHA256).agg(
                        count(lit(1)).as("n"),
                        countDistinct(ParquetColumns.WNID).as("labels"),
                        countDistinct(ParquetColumns.SPLIT).as("splits"),
                        sort_array(collect_list(concat(col(ParquetColumns.ID), lit(" ("), col(ParquetColumns.WNID),
                                lit(")")))).as("files"))
                .filter(col("n").gt(1))
                .cache();
        try {
            Row totals = groups.agg(count(lit(1)), sum("n"),
                    sum(when(col("labels").gt(1), 1).otherwise(0)),
                    sum(when(col("splits").gt(1), 1).otherwise(0))).first();
            long n = totals.getLong(0);
            if (n == 0) {
                return new DuplicateReport(0, 0, 0, 0, hashesPath, Map.of());
            }
            Map<String, List<String>> examples = new LinkedHashMap<>();
            for (Row r : groups.orderBy(DecodeFunction.SHA256).limit(MAX_EXAMPLES).collectAsList()) {
                examples.put(r.getString(0), new ArrayList<>(r.getList(r.fieldIndex("files"))));
            }
            return new DuplicateReport(n, totals.getLong(1), totals.getLong(2), totals.getLong(3), hashesPath,
                    examples);
        } finally {
            groups.unpersist();
        }
    }

    Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("groups", groups);
        m.put("files", files);
        m.put("groups_with_different_labels", groupsWithDifferentLabels);
        m.put("groups_across_splits", groupsAcrossSplits);
        m.put("hashes_path", hashesPath);
        m.put("examples", new LinkedHashMap<>(examples));
        return m;
    }

    @SuppressWarnings("unchecked")
    static DuplicateReport fromJsonMap(Map<String, Object> m) {
        Map<String, List<String>> examples = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("examples")).forEach((k, v) -> examples.put(k, (List<String>) v));
        return new DuplicateReport(((Number) m.get("groups")).longValue(), ((Number) m.get("files")).longValue(),
                ((Number) m.get("groups_with_different_labels")).longValue(),
                ((Number) m.get("groups_across_splits")).longValue(), (String) m.get("hashes_path"), examples);
    }
}
