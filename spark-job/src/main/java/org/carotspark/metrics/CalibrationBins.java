package org.carotspark.metrics;


import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sufficient statistics for top-label accuracy, ECE and MCE with M equal-width confidence bins: per
 * bin the count, Σ confidence and Σ correct. Executors fill one per partition and the driver merges
 * them, so the distributed metric is exactly the single-pass metric (not an average of partition
 * ECEs). Counts are integers and Σ confidence a {@link FixedPointSum}, so partitions merged in any
 * order give bit-identical results.
 *
 * <p>Bin convention, as torchmetrics' {@code MulticlassCalibrationError} (bucketize with
 * {@code right=True} over {@code linspace(0, 1, M + 1)}, with M + 1 slots): bin i covers
 * [i/M, (i+1)/M), so a confidence exactly on an edge goes to the <em>upper</em> bin, and a
 * confidence of exactly 1.0 gets a slot of its own (index M, the interval [1, 1]). Edges here are
 * the doubles i/M; torchmetrics compares float32 confidences with float32 edges, which can differ
 * only for a confidence within float32 rounding of an edge. ECE = Σ_b (n_b/N)·|acc_b − conf_b| and
 * MCE = max_b |acc_b − conf_b| over the non-empty slots (torchmetrics' empty bins contribute 0 to
 * both, the same values).
 */
public final class CalibrationBins implements Serializable {

    private static final long serialVersionUID = 2L;
    /** Fraction bits of Σ confidence: confidences in [0, 1] are held to 2^−63. */
    static final int CONFIDENCE_BITS = 62;

    private final int numBins;
    private final long[] count;
    private final FixedPointSum[] sumConfidence;
    private final long[] correct;

    public CalibrationBins(int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException("number of ECE bins must be >= 1, got " + numBins);
        }
        this.numBins = numBins;
        count = new long[numBins + 1];
        sumConfidence = new FixedPointSum[numBins + 1];
        for (int i = 0; i <= numBins; i++) {
            sumConfidence[i] = new FixedPointSum(CONFIDENCE_BITS);
        }
        correct = new long[numBins + 1];
    }

    /** The slot of a confidence: i with i/M ≤ c &lt; (i+1)/M, or M for c = 1. */
    public static int binOf(double confidence, int numBins) {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must lie in [0, 1], got " + confidence);
        }
        if (confidence == 1.0) {
            return numBins;
        }
        // Estimate, then correct against the exact edges: confidence * M can round across an edge.
        int bin = Math.max(0, Math.min(numBins - 1, (int) Math.floor(confidence * numBins)));
        while (bin > 0 && confidence < lowerEdge(bin, numBins)) {
            bin--;
        }
        while (bin < numBins - 1 && confidence >= lowerEdge(bin + 1, numBins)) {
            bin++;
        }
        return bin;
    }

    /** i/M, the closed lower edge of bin i (1 for the slot of exact ones). */
    public static double lowerEdge(int bin, int numBins) {
        return bin / (double) numBins;
    }

    public void add(double confidence, boolean isCorrect) {
        int b = binOf(confidence, numBins);
        count[b]++;
        sumConfidence[b].add(confidence);
        correct[b] += isCorrect ? 1 : 0;
    }

    /** Adds {@code other} into this and returns this (usable as a Spark reduce/fold function). */
    public CalibrationBins merge(CalibrationBins other) {
        if (other.numBins != numBins) {
            throw new IllegalArgumentException("cannot merge " + other.numBins + " bins into " + numBins);
        }
        for (int i = 0; i < count.length; i++) {
            count[i] += other.count[i];
            sumConfidence[i].merge(other.sumConfidence[i]);
            correct[i] += other.correct[i];
        }
        return this;
    }

    /** M, the number of equal-width bins (the slots are M + 1: the last holds confidences of exactly 1). */
    public int numBins() {
        return numBins;
    }

    public long total() {
        return Arrays.stream(count).sum();
    }

    /** @param bin 0..M (M = the slot of exact ones) */
    public long count(int bin) {
        return count[bin];
    }

    public double sumConfidence(int bin) {
        return sumConfidence[bin].value();
    }

    public long correct(int bin) {
        return correct[bin];
    }

    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : (double) Arrays.stream(correct).sum() / n;
    }

    public double meanConfidence() {
        long n = total();
        if (n == 0) {
            return Double.NaN;
        }
        FixedPointSum all = new FixedPointSum(CONFIDENCE_BITS);
        for (FixedPointSum s : sumConfidence) {
            all.merge(s);
        }
        return all.value() / n;
    }

    /** ECE = Σ_b (n_b / N) · |acc_b − conf_b| (L1); empty bins contribute nothing. */
    public double expectedCalibrationError() {
        long n = total();
        if (n == 0) {
            return Double.NaN;
        }
        double ece = 0.0;
        for (int i = 0; i < count.length; i++) {
            if (count[i] > 0) {
                ece += Math.abs(correct[i] - sumConfidence[i].value()) / n;
            }
        }
        return ece;
    }

    /** MCE = max over non-empty bins of |acc_b − conf_b|. */
    public double maximumCalibrationError() {
        if (total() == 0) {
            return Double.NaN;
        }
        double mce = 0.0;
        for (int i = 0; i < count.length; i++) {
            if (count[i] > 0) {
                mce = Math.max(mce, Math.abs(correct[i] - sumConfidence[i].value()) / count[i]);
            }
        }
        return mce;
    }

    /** Per slot, for reliability diagrams: M equal-width bins, then the [1, 1] slot. */
    public List<ReliabilityBin> reliability() {
        List<ReliabilityBin> out = new ArrayList<>(count.length);
        for (int i = 0; i < count.length; i++) {
            double lower = lowerEdge(i, numBins);
            double upper = i == numBins ? 1.0 : lowerEdge(i + 1, numBins);
            out.add(ReliabilityBin.of(lower, upper, count[i], sumConfidence[i].value(), correct[i]));
        }
        return out;
    }
}
