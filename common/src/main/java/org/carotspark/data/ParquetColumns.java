package org.carotspark.data;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Column names and schemas of the Parquet datasets written by prep (see docs/ARCHITECTURE.md). */
public final class ParquetColumns {

    /** {@code <split>/<path relative to the split root>}: unique and stable across runs. */
    public static final String ID = "id";
    /** JPEG bytes, RGB, S×S. */
    public static final String IMAGE = "image";
    /** ImageNet class index (synset-file order); for ObjectNet the ObjectNet class index. */
    public static final String LABEL = "label";
    /** ImageNet wnid; for ObjectNet the image folder name. */
    public static final String WNID = "wnid";
    public static final String SPLIT = "split";
    /** Full URI of the original file. */
    public static final String SOURCE_PATH = "source_path";
    /** ImageNet-C corruption name, else null. */
    public static final String CORRUPTION = "corruption";
    /** array&lt;string&gt;: an image's own captions (the pretraining corpus; prepared ImageNet splits have none). */
    public static final String CAPTIONS = "captions";
    /** ImageNet-C severity 1..5, else null. */
    public static final String SEVERITY = "severity";
    /** Rejects table only: why the file is not in its split's dataset. */
    public static final String REASON = "reason";

    /** Sub-directory of the Parquet root holding the rejects table (partitioned by {@code split}). */
    public static final String REJECTS_DIR = "_rejects";
    /** File name of the manifest in the Parquet root. */
    public static final String MANIFEST_FILE = "manifest.json";

    private ParquetColumns() {
    }

    /** Schema of every split dataset. */
    public static StructType splitSchema() {
        return new StructType()
                .add(ID, DataTypes.StringType, false)
                .add(IMAGE, DataTypes.BinaryType, false)
                .add(LABEL, DataTypes.IntegerType, false)
                .add(WNID, DataTypes.StringType, false)
                .add(SPLIT, DataTypes.StringType, false)
                .add(SOURCE_PATH, DataTypes.StringType, false)
                .add(CORRUPTION, DataTypes.StringType, true)
                .add(SEVERITY, DataTypes.IntegerType, true);
    }

    /** Schema of the rejects table as read back from {@code _rejects/} (split comes from the partition). */
    public static StructType rejectsSchema() {
        return new StructType()
                .add(SPLIT, DataTypes.StringType, false)
                .add(SOURCE_PATH, DataTypes.StringType, false)
                .add(REASON, DataTypes.StringType, false);
    }
}
