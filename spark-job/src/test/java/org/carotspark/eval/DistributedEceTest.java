package org.carotspark.eval;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The executors' per-bin sums, reduced on the driver, give exactly the single-pass metric. */
class DistributedEceTest {

    @Test
    void sevenPartitionsReduceToTheSinglePassEce() {
        Random r = new Random(11);
        List<Tuple2<float[], Integer>> predictions = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] logits = new float[6];
            for (int j = 0; j < logits.length; j++) {
                logits[j] = (float) (2 * r.nextGaussian());
            }
            predictions.add(new Tuple2<>(logits, r.nextInt(6)));
        }
        double[] temperatures = {1.0, 0.5, 2.0};

        JavaRDD<Tuple2<float[], Integer>> rdd = LocalSpark.jsc().parallelize(predictions, 7);
        CalibrationBins[] distributed = rdd.mapPartitions(DistributedEceTest::binsOfPartition)
                .reduce(DistributedEvaluator::mergeAll);

        for (int t = 0; t < temperatures.length; t++) {
            double[] conf = new double[predictions.size()];
            boolean[] correct = new boolean[predictions.size()];
            for (int i = 0; i < predictions.size(); i++) {
                float[] scaled = predictions.get(i)._1().clone();
                for (int j = 0; j < scaled.length; j++) {
                    scaled[j] /= (float) temperatures[t];
                }
                double[] ca = ExpectedCalibrationError.softmaxMaxAndArgmax(scaled);
                conf[i] = ca[0];
                correct[i] = (int) ca[1] == predictions.get(i)._2();
            }
            assertEquals(ExpectedCalibrationError.of(conf, correct, 10), distributed[t].expectedCalibrationError(),
                    1e-12, "temperature " + temperatures[t]);
            assertEquals(predictions.size(), distributed[t].total());
        }
    }

    private static Iterator<CalibrationBins[]> binsOfPartition(Iterator<Tuple2<float[], Integer>> it) {
        double[] temperatures = {1.0, 0.5, 2.0};
        CalibrationBins[] bins = {new CalibrationBins(10), new CalibrationBins(10), new CalibrationBins(10)};
        it.forEachRemaining(p -> DistributedEvaluator.score(p._1(), p._2(), temperatures, bins));
        return java.util.Collections.singletonList(bins).iterator();
    }
}
