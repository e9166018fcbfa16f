package org.carotspark.prep;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.data.ParquetColumns;
import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.layout.LayoutEntry;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.sparkutil.SerializableHadoopConf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * Executor side of prep: reads each listed file through Hadoop FS, decodes, resizes and re-encodes it, and
 * emits one outcome row: a split row (reason null) or a reject (reason set). Files that cannot be decoded
 * become rejects; I/O errors fail the task so Spark retries it (a transient S3 error must not lose a file).
 */
final class DecodeFunction implements FlatMapFunction<Iterator<LayoutEntry>, Row> {
    private static final long serialVersionUID = 1L;

    /** Reason kind for a file that is not a readable image. */
    static final String UNDECODABLE = "undecodable";

    /** The split columns plus {@code reason}; everything nullable. */
    static final StructType OUTCOME_SCHEMA = new StructType()
            .add(ParquetColumns.ID, DataTypes.StringType, true)
            .add(ParquetColumns.IMAGE, DataTypes.BinaryType, true)
            .add(ParquetColumns.LABEL, DataTypes.IntegerType, true)
            .add(ParquetColumns.WNID, DataTypes.StringType, true)
            .add(ParquetColumns.SPLIT, DataTypes.StringType, true)
            .add(ParquetColumns.SOURCE_PATH, DataTypes.StringType, true)
            .add(ParquetColumns.CORRUPTION, DataTypes.StringType, true)
            .add(ParquetColumns.SEVERITY, DataTypes.IntegerType, true)
            .add(ParquetColumns.REASON, DataTypes.StringType, true);

    private final String split;
    private final ImagePreprocessor preprocessor;
    private final SerializableHadoopConf conf;

    DecodeFunction(String split, ImagePreprocessor preprocessor, SerializableHadoopConf conf) {
        this.split = split;
        this.preprocessor = preprocessor;
        this.conf = conf;
    }

    @Override
    public Iterator<Row> call(Iterator<LayoutEntry> entries) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Row next() {
                return process(entries.next());
            }
        };
    }

    Row process(LayoutEntry e) {
        if (e.isRejected()) {
            return reject(e, e.rejectReason());
        }
        byte[] raw;
        try {
            raw = HadoopFs.readAllBytes(new Path(e.sourcePath()), conf.get());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + e.sourcePath(), ex);
        }
        try {
            byte[] jpeg = preprocessor.process(raw);
            return RowFactory.create(split + "/" + e.relativePath(), jpeg, e.label(), e.wnid(), split, e.sourcePath(),
                    e.corruption(), e.severity(), null);
        } catch (ImageDecodeException ex) {
            return reject(e, UNDECODABLE + ": " + ex.getMessage());
        }
    }

    private Row reject(LayoutEntry e, String reason) {
        return RowFactory.create(null, null, null, null, split, e.sourcePath(), null, null, reason);
    }
}
