package org.carotspark.eval;

import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.CalibrationBins;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.data.CorruptionNames;
import org.carotspark.data.Split;
import org.carotspark.metrics.Metrics;
import org.carotspark.metrics.ReliabilityBin;
import org.carotspark.report.ResultRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a split's per-group statistics at T = 1 (index 0) and the tuned temperature (index 1) into
 * report rows. A split without IN-C groups gives one row. IN-C gives its total (equal-weight mean
 * over every (corruption, severity) group, as the paper reports IN-C), one row per corruption (mean
 * over its severities: the paper's Figure 4) and one per group; the totals' reliability diagrams pool
 * the groups' bins.
 */
final class ResultRows {

    private ResultRows() {
    }

    static List<ResultRow> of(String method, Split split, SplitStatistics statistics, TemperatureFit fit,
                              MetricSettings settings) {
        Map<String, PredictionStats[]> groups = statistics.groups();
        Map<String, double[]> reference = statistics.referenceEce();
        if (groups.size() == 1 && groups.containsKey(DistributedEvaluator.ALL)) {
            PredictionStats[] s = groups.get(DistributedEvaluator.ALL);
            return List.of(row(method, split.configName(), null, null, fit, metrics(s, 0, reference,
                    DistributedEvaluator.ALL, settings), metrics(s, 1, reference, DistributedEvaluator.ALL, settings)));
        }
        if (split != Split.IMAGENET_C || groups.containsKey(DistributedEvaluator.ALL)) {
            throw new IllegalStateException(split + " unexpectedly has corruption groups " + groups.keySet());
        }
        Map<String, TreeMap<Integer, PredictionStats[]>> byCorruption = new TreeMap<>(
                Comparator.comparingInt(CorruptionNames::order).thenComparing(Comparator.naturalOrder()));
        groups.forEach((key, stats) -> {
            int slash = key.lastIndexOf('/');
            byCorruption.computeIfAbsent(key.substring(0, slash), k -> new TreeMap<>())
                    .put(Integer.parseInt(key.substring(slash + 1)), stats);
        });
        List<ResultRow> perGroup = new ArrayList<>();
        List<ResultRow> out = new ArrayList<>();
        List<PredictionStats[]> all = new ArrayList<>();
        byCorruption.forEach((corruption, severities) -> {
            List<ResultRow> rows = new ArrayList<>();
            severities.forEach((severity, s) -> rows.add(row(method, split.configName(), corruption, severity, fit,
                    metrics(s, 0, reference, corruption + "/" + severity, settings),
                    metrics(s, 1, reference, corruption + "/" + severity, settings))));
            perGroup.add(mean(method, split.configName(), corruption, fit, rows, new ArrayList<>(severities.values())));
            perGroup.addAll(rows);
            all.addAll(severities.values());
        });
        List<ResultRow> groupRows = perGroup.stream().filter(r -> r.severity() != null).toList();
        out.add(mean(method, split.configName(), null, fit, groupRows, all));
        out.addAll(perGroup);
        return out;
    }

    /** A group's metrics at temperature index {@code t}, with its reference per-batch ECE (NaN when it has none). */
    private static Metrics metrics(PredictionStats[] stats, int t, Map<String, double[]> reference, String group,
                                   MetricSettings settings) {
        double[] ref = reference.get(group);
        return stats[t].metrics(settings).withEceReference(ref == null ? Double.NaN : ref[t]);
    }

    private static ResultRow mean(String method, String split, String corruption, TemperatureFit fit,
                                  List<ResultRow> rows, List<PredictionStats[]> pooled) {
        return row(method, split, corruption, null, fit,
                Metrics.mean(rows.stream().map(ResultRow::raw).toList(), pooledReliability(pooled, 0)),
                Metrics.mean(rows.stream().map(ResultRow::scaled).toList(), pooledReliability(pooled, 1)));
    }

    private static List<ReliabilityBin> pooledReliability(List<PredictionStats[]> groups, int temperature) {
        CalibrationBins pooled = new CalibrationBins(groups.get(0)[temperature].headlineBins().numBins());
        groups.forEach(g -> pooled.merge(g[temperature].headlineBins()));
        return pooled.reliability();
    }

    private static ResultRow row(String method, String split, String corruption, Integer severity, TemperatureFit fit,
                                 Metrics raw, Metrics scaled) {
        return new ResultRow(method, split, corruption, severity, fit.temperature(), fit.atGridEdge(), raw, scaled);
    }
}
