package org.carotspark.eval;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

/**
 * One distributed pass over a split: executors encode images, score them with the zero-shot
 * head, project to the split's label space and fill {@link CalibrationBins} for every candidate
 * temperature; the driver merges the per-partition sums, so accuracy and ECE are exact.
 * Results are grouped by IN-C (corruption, severity), otherwise a single group.
 */
public final class DistributedEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String ALL = "all";

    private final Broadcast<ModelSnapshot> model;
    private final Broadcast<ZeroShotHead> head;
    private final int imageSize;
    private final int batchSize;
    private final int numBins;
    private final double[] temperatures;

    public DistributedEvaluator(Broadcast<ModelSnapshot> model, Broadcast<ZeroShotHead> head, int imageSize,
                                int batchSize, int numBins, double[] temperatures) {
        this.model = model;
        this.head = head;
        this.imageSize = imageSize;
        this.batchSize = batchSize;
        this.numBins = numBins;
        this.temperatures = temperatures.clone();
    }

    /** Group key → bins per temperature (index-aligned with the temperatures given). */
    public Map<String, CalibrationBins[]> evaluate(Dataset<Row> split, SplitProjection projection) {
        Dataset<Row> rows = split.select(ParquetColumns.IMAGE, ParquetColumns.LABEL,
                ParquetColumns.CORRUPTION, ParquetColumns.SEVERITY);
        JavaPairRDD<String, CalibrationBins[]> perPartition = rows.javaRDD()
                .mapPartitionsToPair(it -> scorePartition(it, projection));
        return new HashMap<>(perPartition.reduceByKey(DistributedEvaluator::mergeAll).collectAsMap());
    }

    static CalibrationBins[] mergeAll(CalibrationBins[] a, CalibrationBins[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i].merge(b[i]);
        }
        return a;
    }

    private Iterator<Tuple2<String, CalibrationBins[]>> scorePartition(Iterator<Row> it, SplitProjection projection) {
        Map<String, CalibrationBins[]> groups = new HashMap<>();
        List<byte[]> images = new ArrayList<>(batchSize);
        List<Row> pending = new ArrayList<>(batchSize);
        while (it.hasNext()) {
            Row r = it.next();
            images.add(r.getAs(ParquetColumns.IMAGE));
            pending.add(r);
            if (pending.size() == batchSize || !it.hasNext()) {
                scoreBatch(images, pending, projection, groups);
                images.clear();
                pending.clear();
            }
        }
        List<Tuple2<String, CalibrationBins[]>> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }

    private void scoreBatch(List<byte[]> images, List<Row> rows, SplitProjection projection,
                            Map<String, CalibrationBins[]> groups) {
        INDArray batch = ClipImageTensors.batch(images, imageSize, DataType.FLOAT);
        float[][] logits = head.value().logits(ClipEncoders.encodeImage(model.value().graph(), batch));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            CalibrationBins[] bins = groups.computeIfAbsent(groupOf(r), k -> newBins());
            score(projection.project(logits[i]), projection.projectedLabel(r.getAs(ParquetColumns.LABEL)),
                    temperatures, bins);
        }
    }

    private static String groupOf(Row r) {
        String corruption = r.getAs(ParquetColumns.CORRUPTION);
        if (corruption == null) {
            return ALL;
        }
        Integer severity = r.getAs(ParquetColumns.SEVERITY);
        return corruption + "/" + severity;
    }

    private CalibrationBins[] newBins() {
        CalibrationBins[] bins = new CalibrationBins[temperatures.length];
        for (int t = 0; t < bins.length; t++) {
            bins[t] = new CalibrationBins(numBins);
        }
        return bins;
    }

    /** Adds one prediction, at every temperature, to the bins (a label of -1 is always wrong). */
    static void score(float[] logits, int label, double[] temperatures, CalibrationBins[] bins) {
        float[] scaled = new float[logits.length];
        for (int t = 0; t < temperatures.length; t++) {
            float inv = (float) (1.0 / temperatures[t]);
            for (int j = 0; j < logits.length; j++) {
                scaled[j] = logits[j] * inv;
            }
            double[] confArg = ExpectedCalibrationError.softmaxMaxAndArgmax(scaled);
            bins[t].add(confArg[0], (int) confArg[1] == label);
        }
    }
}
