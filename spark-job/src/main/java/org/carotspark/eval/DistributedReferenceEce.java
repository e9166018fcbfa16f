package org.carotspark.eval;

import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.CalibrationBins;
import org.carotspark.metrics.ReferenceBatchEce;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ReferenceBatchEce} of every group of a split, exact under distribution. The reference's loader is
 * class-sorted (an ImageFolder: class, then file path), so a prediction's rank is the number of the group's
 * predictions with a smaller label, plus its place by source path within its class. The driver turns the per-(group,
 * label) counts into offsets; each class is ranked in one task, which sums its predictions per (batch, bin); the
 * driver adds those sums per (group, batch) and applies the rule. Rows without a label (−1) are not in the
 * reference's dataset and take no place.
 */
final class DistributedReferenceEce {

    private DistributedReferenceEce() {
    }

    /** Group → reference ECE per temperature (index-aligned with the entries' temperatures). */
    static Map<String, double[]> compute(JavaRDD<ReferenceEntry> entries, int temperatures, int batchSize) {
        JavaRDD<ReferenceEntry> labelled = entries.filter(e -> e.label() >= 0);
        Map<Tuple2<String, Integer>, Long> counts = new HashMap<>(labelled
                .mapToPair(e -> new Tuple2<>(new Tuple2<>(e.group(), e.label()), 1L)).reduceByKey(Long::sum)
                .collectAsMap());
        HashMap<Tuple2<String, Integer>, Long> offsets = offsets(counts);
        Map<Tuple2<String, Long>, CalibrationBins[]> batches = labelled
                .groupBy(e -> new Tuple2<>(e.group(), e.label()))
                .flatMapToPair(cls -> rankClass(cls._2(), offsets.get(cls._1()), temperatures, batchSize))
                .reduceByKey(DistributedReferenceEce::merge).collectAsMap();
        Map<String, List<Map<Long, CalibrationBins>>> byGroup = new TreeMap<>();
        batches.forEach((key, bins) -> {
            List<Map<Long, CalibrationBins>> perTemperature = byGroup.computeIfAbsent(key._1(), g -> {
                List<Map<Long, CalibrationBins>> l = new ArrayList<>();
                for (int t = 0; t < temperatures; t++) {
                    l.add(new HashMap<>());
                }
                return l;
            });
            for (int t = 0; t < temperatures; t++) {
                perTemperature.get(t).put(key._2(), bins[t]);
            }
        });
        Map<String, double[]> out = new HashMap<>();
        byGroup.forEach((group, perTemperature) -> {
            double[] ece = new double[temperatures];
            for (int t = 0; t < temperatures; t++) {
                ece[t] = ReferenceBatchEce.of(perTemperature.get(t));
            }
            out.put(group, ece);
        });
        return out;
    }

    /** Per (group, label): how many of the group's predictions have a smaller label. */
    static HashMap<Tuple2<String, Integer>, Long> offsets(Map<Tuple2<String, Integer>, Long> counts) {
        List<Tuple2<String, Integer>> keys = new ArrayList<>(counts.keySet());
        keys.sort(Comparator.comparing((Tuple2<String, Integer> k) -> k._1()).thenComparing(Tuple2::_2));
        HashMap<Tuple2<String, Integer>, Long> offsets = new HashMap<>();
        String group = null;
        long before = 0;
        for (Tuple2<String, Integer> k : keys) {
            if (!k._1().equals(group)) {
                group = k._1();
                before = 0;
            }
            offsets.put(k, before);
            before += counts.get(k);
        }
        return offsets;
    }

    /** One class's predictions ranked by source path from {@code offset}, summed per (group, batch). */
    private static Iterator<Tuple2<Tuple2<String, Long>, CalibrationBins[]>> rankClass(
            Iterable<ReferenceEntry> members, long offset, int temperatures, int batchSize) {
        List<ReferenceEntry> sorted = new ArrayList<>();
        members.forEach(sorted::add);
        sorted.sort(Comparator.comparing(ReferenceEntry::sourcePath, Comparator.nullsFirst(Comparator.naturalOrder())));
        TreeMap<Long, CalibrationBins[]> batches = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            ReferenceEntry e = sorted.get(i);
            CalibrationBins[] bins = batches.computeIfAbsent(ReferenceBatchEce.batchOf(offset + i, batchSize), b -> {
                CalibrationBins[] s = new CalibrationBins[temperatures];
                for (int t = 0; t < temperatures; t++) {
                    s[t] = new CalibrationBins(ReferenceBatchEce.BINS);
                }
                return s;
            });
            for (int t = 0; t < temperatures; t++) {
                bins[t].add(e.confidence(t), e.correct(t));
            }
        }
        String group = sorted.get(0).group();
        List<Tuple2<Tuple2<String, Long>, CalibrationBins[]>> out = new ArrayList<>();
        batches.forEach((batch, bins) -> out.add(new Tuple2<>(new Tuple2<>(group, batch), bins)));
        return out.iterator();
    }

    private static CalibrationBins[] merge(CalibrationBins[] a, CalibrationBins[] b) {
        for (int t = 0; t < a.length; t++) {
            a[t].merge(b[t]);
        }
        return a;
    }

    /** The entry of a scored example at each temperature. */
    static ReferenceEntry entryOf(ScoredExample e, double[] temperatures) {
        double[] confidence = new double[temperatures.length];
        boolean[] correct = new boolean[temperatures.length];
        for (int t = 0; t < temperatures.length; t++) {
            double[] p = PredictionStats.probabilities(e.logits(), temperatures[t]);
            int top = PredictionStats.topLabel(p);
            confidence[t] = p[top];
            correct[t] = top == e.label();
        }
        return new ReferenceEntry(e.group(), e.label(), e.sourcePath(), confidence, correct);
    }
}
