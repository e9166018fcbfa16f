package org.carotspark.prep;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.data.ParquetColumns;
import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.image.ImageTooLargeException;
import org.carotspark.layout.LayoutEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * Executor side of prep: reads each listed file, decodes, resizes and re-encodes it, and emits one outcome row:
 * a split row (reason null, with the SHA-256 of the original bytes for duplicate detection) or a reject (reason
 * set). No single file can fail the task: unreadable, oversized, non-regular and undecodable files all become
 * rejects (see {@link SourceReader} for how read errors are retried first).
 */
final class DecodeFunction implements FlatMapFunction<Iterator<LayoutEntry>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFunction.class);

    /** Reason kind for a file that is not a readable image. */
    static final String UNDECODABLE = "undecodable";
    /** Outcome-only column: hex SHA-256 of the source file's bytes (rows only). */
    static final String SHA256 = org.carotspark.data.PreparedData.CONTENT_SHA256;

    /** The split columns plus {@code reason} and {@code sha256}; everything nullable. */
    static final StructType OUTCOME_SCHEMA = new StructType()
            .add(ParquetColumns.ID, DataTypes.StringType, true)
            .add(ParquetColumns.IMAGE, DataTypes.BinaryType, true)
            .add(ParquetColumns.LABEL, DataTypes.IntegerType, true)
            .add(ParquetColumns.WNID, DataTypes.StringType, true)
            .add(ParquetColumns.SPLIT, DataTypes.StringType, true)
            .add(ParquetColumns.SOURCE_PATH, DataTypes.StringType, true)
            .add(ParquetColumns.CORRUPTION, DataTypes.StringType, true)
            .add(ParquetColumns.SEVERITY, DataTypes.IntegerType, true)
            .add(ParquetColumns.REASON, DataTypes.StringType, true)
            .add(SHA256, DataTypes.StringType, true);

    private final String split;
    private final ImagePreprocessor preprocessor;
    private final SourceReader reader;

    DecodeFunction(String split, ImagePreprocessor preprocessor, SourceReader reader) {
        this.split = split;
        this.preprocessor = preprocessor;
        this.reader = reader;
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
            raw = reader.read(e.sourcePath());
        } catch (SourceRejectedException ex) {
            return reject(e, ex.reason());
        }
        try {
            byte[] jpeg = preprocessor.process(raw);
            return RowFactory.create(split + "/" + e.relativePath(), jpeg, e.label(), e.wnid(), split, e.sourcePath(),
                    e.corruption(), e.severity(), null, sha256(raw));
        } catch (ImageTooLargeException ex) {
            return reject(e, LayoutEntry.TOO_LARGE + ": " + ex.getMessage());
        } catch (ImageDecodeException ex) {
            return reject(e, UNDECODABLE + ": " + ex.getMessage());
        } catch (RuntimeException ex) {
            // A decoder or resampler bug on one odd file must not abort the run; the trace stays in the executor log.
            LOG.warn("unexpected error preparing {}", e.sourcePath(), ex);
            return reject(e, UNDECODABLE + ": unexpected " + ex);
        }
    }

    private Row reject(LayoutEntry e, String reason) {
        return RowFactory.create(null, null, null, null, split, e.sourcePath(), null, null, reason, null);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
