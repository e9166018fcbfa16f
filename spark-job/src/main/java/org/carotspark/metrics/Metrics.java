package org.carotspark.metrics;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Every metric of one set of predictions at one temperature. {@code ece} is the headline ECE (the
 * first configured equal-width bin count), {@code eceByBins} holds it for every configured count;
 * {@code mce} and {@code reliability} use the headline bins. {@code adaptiveEce} uses equal-mass bins.
 * {@code brier} is the mean over samples of Σ_k (p_k − onehot_k)², in [0, 2]; {@code nll} the mean of
 * −log p_label. Accuracies do not depend on the temperature. {@code eceStdError} is the bootstrap standard error of
 * {@code ece} (NaN when not computed). {@code eceReference} is the CaRot reference code's per-evaluation-batch ECE
 * (10 bins, batches of the class-sorted loader, Σ n_b·ECE_b / N: {@link ReferenceBatchEce}), the number to put
 * beside the paper's; NaN when not computed.
 */
public record Metrics(long n, double accuracy, double top5Accuracy, double ece, SortedMap<Integer, Double> eceByBins,
                      double adaptiveEce, double mce, double nll, double brier, List<ReliabilityBin> reliability,
                      double eceStdError, double eceReference) {

    public Metrics {
        eceByBins = new TreeMap<>(eceByBins);
        reliability = List.copyOf(reliability);
    }

    /** Only accuracy and ECE known (everything else NaN): rows from older reports and small tests. */
    public static Metrics accuracyAndEce(long n, double accuracy, double ece) {
        return new Metrics(n, accuracy, Double.NaN, ece, new TreeMap<>(), Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, List.of(), Double.NaN, Double.NaN);
    }

    /** These metrics with the reference's per-batch ECE set. */
    public Metrics withEceReference(double value) {
        return new Metrics(n, accuracy, top5Accuracy, ece, eceByBins, adaptiveEce, mce, nll, brier, reliability,
                eceStdError, value);
    }

    /**
     * Equal-weight mean of each metric over groups (IN-C's corruption × severity groups, the OOD
     * average over shifts), n summed; a bin count's ECE is averaged over the groups that have it. A
     * reliability diagram is not averaged: pass the pooled one, or an empty list. The mean's ECE standard error
     * treats the groups as independent: √(Σ se²) / G.
     */
    public static Metrics mean(List<Metrics> groups, List<ReliabilityBin> reliability) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no groups to average");
        }
        SortedMap<Integer, Double> ece = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Metrics m : groups) {
            m.eceByBins.forEach((bins, v) -> {
                ece.merge(bins, v, Double::sum);
                counts.merge(bins, 1, Integer::sum);
            });
        }
        ece.replaceAll((bins, sum) -> sum / counts.get(bins));
        return new Metrics(groups.stream().mapToLong(Metrics::n).sum(), avg(groups, Metrics::accuracy),
                avg(groups, Metrics::top5Accuracy), avg(groups, Metrics::ece), ece, avg(groups, Metrics::adaptiveEce),
                avg(groups, Metrics::mce), avg(groups, Metrics::nll), avg(groups, Metrics::brier), reliability,
                Math.sqrt(groups.stream().mapToDouble(m -> m.eceStdError() * m.eceStdError()).sum()) / groups.size(),
                avg(groups, Metrics::eceReference));
    }

    private static double avg(List<Metrics> groups, ToDoubleFunction<Metrics> f) {
        return groups.stream().mapToDouble(f).average().orElse(Double.NaN);
    }
}
