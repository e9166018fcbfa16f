package org.carotspark.metrics;


import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sufficient statistics for the equal-mass ("adaptive") ECE: the multiset of (confidence, correct)
 * pairs, kept as two arrays (confidences of correct and of wrong predictions). Merging appends, so
 * partitions merged in any order hold the same multiset, and the metric is computed only from the
 * sorted multiset: the result is bit-identical whatever the partitioning or merge order.
 *
 * <p>Binning, exactly: the N pairs are sorted by confidence; with B bins, N = qB + r, bin b (0-based)
 * takes the next q + 1 positions when b &lt; r and q positions otherwise (numpy's {@code array_split}:
 * the remainder goes to the lowest-confidence bins). Equal confidences that straddle a bin boundary
 * are split in proportion, outcome-blind: a tie group of g pairs with k correct contributes to each bin
 * it overlaps o positions, o·confidence to Σ confidence and o·k/g to Σ correct (ordering ties by
 * correctness instead would put wrong predictions in the lower bin and inflate the ECE). Bins left
 * empty (N &lt; B) contribute nothing. ECE = Σ_b (n_b / N)·|acc_b − conf_b|, sums taken in sorted order.
 */
public final class EqualMassBins implements Serializable {

    private static final long serialVersionUID = 1L;

    private double[] correct = new double[16];
    private int correctCount;
    private double[] wrong = new double[16];
    private int wrongCount;

    public void add(double confidence, boolean isCorrect) {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must lie in [0, 1], got " + confidence);
        }
        if (isCorrect) {
            correct = grow(correct, correctCount + 1);
            correct[correctCount++] = confidence;
        } else {
            wrong = grow(wrong, wrongCount + 1);
            wrong[wrongCount++] = confidence;
        }
    }

    /** Appends {@code other}'s pairs to this and returns this. */
    public EqualMassBins merge(EqualMassBins other) {
        correct = grow(correct, correctCount + other.correctCount);
        System.arraycopy(other.correct, 0, correct, correctCount, other.correctCount);
        correctCount += other.correctCount;
        wrong = grow(wrong, wrongCount + other.wrongCount);
        System.arraycopy(other.wrong, 0, wrong, wrongCount, other.wrongCount);
        wrongCount += other.wrongCount;
        return this;
    }

    /** Every pair's confidence: the correct predictions' in ascending order, then the wrong ones'. */
    public double[] sortedConfidences() {
        double[] c = Arrays.copyOf(correct, correctCount);
        double[] w = Arrays.copyOf(wrong, wrongCount);
        Arrays.sort(c);
        Arrays.sort(w);
        double[] all = Arrays.copyOf(c, c.length + w.length);
        System.arraycopy(w, 0, all, c.length, w.length);
        return all;
    }

    /** Whether each pair of {@link #sortedConfidences()} is a correct prediction. */
    public boolean[] sortedCorrectness() {
        boolean[] flags = new boolean[correctCount + wrongCount];
        Arrays.fill(flags, 0, correctCount, true);
        return flags;
    }

    public long total() {
        return (long) correctCount + wrongCount;
    }

    /** The non-empty equal-mass bins; lower/upper are the smallest and largest confidence in each. */
    public List<ReliabilityBin> bins(int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException("number of equal-mass bins must be >= 1, got " + numBins);
        }
        double[] c = Arrays.copyOf(correct, correctCount);
        double[] w = Arrays.copyOf(wrong, wrongCount);
        Arrays.sort(c);
        Arrays.sort(w);
        int n = c.length + w.length;
        int base = n / numBins;
        int remainder = n % numBins;
        long[] count = new long[numBins];
        double[] sumConfidence = new double[numBins];
        double[] sumCorrect = new double[numBins];
        double[] lower = new double[numBins];
        double[] upper = new double[numBins];
        int bin = 0;
        int binEnd = base + (remainder > 0 ? 1 : 0);
        int position = 0;
        int ci = 0;
        int wi = 0;
        while (ci < c.length || wi < w.length) {
            double v = Math.min(ci < c.length ? c[ci] : Double.POSITIVE_INFINITY,
                    wi < w.length ? w[wi] : Double.POSITIVE_INFINITY);
            int k = 0;
            while (ci < c.length && c[ci] == v) {
                ci++;
                k++;
            }
            int m = 0;
            while (wi < w.length && w[wi] == v) {
                wi++;
                m++;
            }
            int left = k + m;
            double accuracy = (double) k / (k + m);
            while (left > 0) {
                while (position == binEnd) {
                    bin++;
                    binEnd += base + (bin < remainder ? 1 : 0);
                }
                int take = Math.min(left, binEnd - position);
                if (count[bin] == 0) {
                    lower[bin] = v;
                }
                upper[bin] = v;
                count[bin] += take;
                sumConfidence[bin] += take * v;
                sumCorrect[bin] += take * accuracy;
                position += take;
                left -= take;
            }
        }
        List<ReliabilityBin> out = new ArrayList<>();
        for (int b = 0; b < numBins; b++) {
            if (count[b] > 0) {
                out.add(ReliabilityBin.of(lower[b], upper[b], count[b], sumConfidence[b], sumCorrect[b]));
            }
        }
        return out;
    }

    /** Equal-mass ECE with {@code numBins} bins; NaN when empty. */
    public double expectedCalibrationError(int numBins) {
        long n = total();
        if (n == 0) {
            return Double.NaN;
        }
        double ece = 0.0;
        for (ReliabilityBin b : bins(numBins)) {
            ece += b.count() * Math.abs(b.accuracy() - b.meanConfidence()) / n;
        }
        return ece;
    }

    private static double[] grow(double[] a, int needed) {
        return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, 2 * a.length));
    }
}
