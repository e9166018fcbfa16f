package org.carotspark.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.ReferenceBatchEce;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.data.ParquetColumns;
import org.carotspark.model.ClipEncoders;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ModelSnapshot;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Distributed evaluation of a split: executors encode images, score them with the zero-shot head and
 * project the logits to the split's label space ({@link #scores}); the statistics pass
 * ({@link #statistics}) fills {@link PredictionStats} per group and temperature on the executors and
 * merges them on the driver, so every metric is exact. Groups are IN-C (corruption, severity), else
 * a single group. Scores can be cached and scored again at other temperatures without re-encoding.
 */
public final class DistributedEvaluator implements Serializable {

    private static final long serialVersionUID = 2L;
    public static final String ALL = "all";

    private final Broadcast<ModelSnapshot> model;
    private final Broadcast<ZeroShotHead> head;
    private final int imageSize;
    private final int batchSize;
    private final MetricSettings metrics;
    private final int referenceBatch;

    /** @param referenceBatch the batch size of the reference's per-batch ECE ({@link ReferenceBatchEce}) */
    public DistributedEvaluator(Broadcast<ModelSnapshot> model, Broadcast<ZeroShotHead> head, int imageSize,
                                int batchSize, MetricSettings metrics, int referenceBatch) {
        this.model = model;
        this.head = head;
        this.imageSize = imageSize;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.referenceBatch = referenceBatch;
    }

    /**
     * Every metric per group and temperature (index-aligned with {@code temperatures}), and the reference's
     * per-batch ECE; the images are encoded once.
     */
    public SplitStatistics evaluate(Dataset<Row> split, SplitProjection projection, double[] temperatures) {
        return statisticsWithReference(scores(split, projection), temperatures, metrics, referenceBatch);
    }

    /**
     * {@link #statistics} with the equal-mass pairs kept, plus {@link ReferenceBatchEce} per group and temperature:
     * one pass over the scores keeps each partition's statistics and per-example reference entries (persisted, a
     * few dozen bytes an example), then the statistics are reduced and the entries ranked.
     */
    public static SplitStatistics statisticsWithReference(JavaRDD<ScoredExample> scores, double[] temperatures,
                                                          MetricSettings metrics, int referenceBatch) {
        double[] temps = temperatures.clone();
        JavaRDD<PartitionPass> passes = scores.mapPartitions(it -> List.of(PartitionPass.of(it, temps, metrics))
                .iterator()).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            Map<String, PredictionStats[]> groups = new HashMap<>(passes.flatMapToPair(PartitionPass::groups)
                    .reduceByKey(DistributedEvaluator::mergeAll).collectAsMap());
            Map<String, double[]> reference = DistributedReferenceEce.compute(passes.flatMap(PartitionPass::entries),
                    temps.length, referenceBatch);
            return new SplitStatistics(groups, reference);
        } finally {
            passes.unpersist(false);
        }
    }

    /** Every image of the split scored and projected, lazily (persist it to score it more than once). */
    public JavaRDD<ScoredExample> scores(Dataset<Row> split, SplitProjection projection) {
        Dataset<Row> rows = split.select(ParquetColumns.IMAGE, ParquetColumns.LABEL,
                ParquetColumns.CORRUPTION, ParquetColumns.SEVERITY, ParquetColumns.SOURCE_PATH);
        return rows.javaRDD().mapPartitions(it -> scorePartition(it, projection));
    }

    /**
     * Group key → statistics per temperature of already scored examples.
     *
     * @param keepEqualMass keep the pairs for the equal-mass ECE (not needed while tuning a temperature)
     */
    public static Map<String, PredictionStats[]> statistics(JavaRDD<ScoredExample> scores, double[] temperatures,
                                                            MetricSettings metrics, boolean keepEqualMass) {
        double[] temps = temperatures.clone();
        return new HashMap<>(scores.mapPartitionsToPair(it -> accumulate(it, temps, metrics, keepEqualMass))
                .reduceByKey(DistributedEvaluator::mergeAll).collectAsMap());
    }

    /** One partition's statistics per group. */
    static Iterator<Tuple2<String, PredictionStats[]>> accumulate(Iterator<ScoredExample> it, double[] temperatures,
                                                                  MetricSettings metrics, boolean keepEqualMass) {
        Map<String, PredictionStats[]> groups = new HashMap<>();
        while (it.hasNext()) {
            add(groups, it.next(), temperatures, metrics, keepEqualMass);
        }
        List<Tuple2<String, PredictionStats[]>> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }

    /** Adds one example to its group's statistics at every temperature. */
    static void add(Map<String, PredictionStats[]> groups, ScoredExample e, double[] temperatures,
                    MetricSettings metrics, boolean keepEqualMass) {
        PredictionStats[] stats = groups.computeIfAbsent(e.group(), k -> {
            PredictionStats[] s = new PredictionStats[temperatures.length];
            for (int t = 0; t < s.length; t++) {
                s[t] = new PredictionStats(metrics, keepEqualMass);
            }
            return s;
        });
        for (int t = 0; t < temperatures.length; t++) {
            stats[t].addLogits(e.logits(), temperatures[t], e.label());
        }
    }

    static PredictionStats[] mergeAll(PredictionStats[] a, PredictionStats[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i].merge(b[i]);
        }
        return a;
    }

    /** Scores a partition batch by batch, so only one batch of logits is held at a time. */
    private Iterator<ScoredExample> scorePartition(Iterator<Row> rows, SplitProjection projection) {
        return new Iterator<>() {
            private final List<ScoredExample> batch = new ArrayList<>(batchSize);
            private int next;

            @Override
            public boolean hasNext() {
                if (next < batch.size()) {
                    return true;
                }
                batch.clear();
                next = 0;
                List<byte[]> images = new ArrayList<>(batchSize);
                List<Row> pending = new ArrayList<>(batchSize);
                while (rows.hasNext() && pending.size() < batchSize) {
                    Row r = rows.next();
                    images.add(r.getAs(ParquetColumns.IMAGE));
                    pending.add(r);
                }
                if (!pending.isEmpty()) {
                    scoreBatch(images, pending, projection, batch);
                }
                return !batch.isEmpty();
            }

            @Override
            public ScoredExample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.get(next++);
            }
        };
    }

    private void scoreBatch(List<byte[]> images, List<Row> rows, SplitProjection projection,
                            List<ScoredExample> out) {
        INDArray batch = ClipImageTensors.batch(images, imageSize, DataType.FLOAT);
        float[][] logits = head.value().logits(ClipEncoders.encodeImage(model.value().graph(), batch));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.add(new ScoredExample(projection.project(logits[i]),
                    projection.projectedLabel(r.getAs(ParquetColumns.LABEL)), groupOf(r),
                    r.getAs(ParquetColumns.SOURCE_PATH)));
        }
    }

    /** (id, projected image features) of every image of the split. */
    public JavaRDD<scala.Tuple2<String, float[]>> imageFeatures(Dataset<Row> split) {
        return split.select(ParquetColumns.ID, ParquetColumns.IMAGE).javaRDD().mapPartitions(rows -> {
            List<scala.Tuple2<String, float[]>> out = new ArrayList<>();
            List<Row> pending = new ArrayList<>(batchSize);
            while (rows.hasNext()) {
                pending.add(rows.next());
                if (pending.size() == batchSize || !rows.hasNext()) {
                    List<byte[]> images = pending.stream().map(r -> (byte[]) r.getAs(ParquetColumns.IMAGE)).toList();
                    float[][] features = ClipEncoders.encodeImage(model.value().graph(),
                            ClipImageTensors.batch(images, imageSize, DataType.FLOAT)).toFloatMatrix();
                    for (int i = 0; i < pending.size(); i++) {
                        out.add(new scala.Tuple2<>(pending.get(i).getAs(ParquetColumns.ID), features[i]));
                    }
                    pending.clear();
                }
            }
            return out.iterator();
        });
    }

    /** The IN-C group key "corruption/severity", else {@link #ALL}. */
    public static String groupOf(Row r) {
        String corruption = r.getAs(ParquetColumns.CORRUPTION);
        if (corruption == null) {
            return ALL;
        }
        Integer severity = r.getAs(ParquetColumns.SEVERITY);
        return corruption + "/" + severity;
    }
}
