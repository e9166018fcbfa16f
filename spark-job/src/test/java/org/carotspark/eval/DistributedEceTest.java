package org.carotspark.eval;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.metrics.Metrics;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The executors' statistics, reduced on the driver, give exactly the single-pass metrics. */
class DistributedEceTest {

    @Test
    void sevenPartitionsReduceToTheSinglePassMetricsPerGroupAndTemperature() {
        Random r = new Random(11);
        List<ScoredExample> examples = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            float[] logits = new float[6];
            for (int j = 0; j < logits.length; j++) {
                logits[j] = (float) (2 * r.nextGaussian());
            }
            examples.add(new ScoredExample(logits, r.nextInt(6), i % 3 == 0 ? "fog/2" : "fog/5", "img" + i));
        }
        double[] temperatures = {1.0, 0.5, 2.0};
        MetricSettings settings = new MetricSettings(new int[] {10, 15}, 15);

        JavaRDD<ScoredExample> rdd = LocalSpark.jsc().parallelize(examples, 7);
        Map<String, PredictionStats[]> distributed = DistributedEvaluator.statistics(rdd, temperatures, settings, true);

        assertEquals(2, distributed.size());
        for (String group : List.of("fog/2", "fog/5")) {
            for (int t = 0; t < temperatures.length; t++) {
                PredictionStats single = new PredictionStats(settings, true);
                for (ScoredExample e : examples) {
                    if (e.group().equals(group)) {
                        single.addLogits(e.logits(), temperatures[t], e.label());
                    }
                }
                Metrics expected = single.metrics(settings);
                assertEquals(expected, distributed.get(group)[t].metrics(settings), group + " at T " + temperatures[t]);
            }
        }
    }
}
