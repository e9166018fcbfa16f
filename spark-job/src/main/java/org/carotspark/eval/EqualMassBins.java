package org.carotspark.eval;

import org.carotspark.report.ReliabilityBin;

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
 * <p>Binning, exactly: the N pairs are sorted by confidence ascending, ties broken by putting wrong
 * predictions before correct ones; with B bins, N = qB + r, bin b (0-based) takes the next q + 1
 * pairs when b &lt; r and q pairs otherwise (numpy's {@code array_split}: the remainder goes to the
 * lowest-confidence bins). Ties are not kept together: equal confidences that straddle a bin
 * boundary are split between the two bins by that order. Bins left empty (N &lt; B) contribute
 * nothing. ECE = Σ_b (n_b / N)·|acc_b − conf_b|, each bin's sums taken in sorted order.
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
        List<ReliabilityBin> out = new ArrayList<>();
        int ci = 0;
        int wi = 0;
        for (int b = 0; b < numBins; b++) {
            int size = base + (b < remainder ? 1 : 0);
            if (size == 0) {
                continue;
            }
            double sumConfidence = 0.0;
            double sumCorrect = 0.0;
            double lower = Double.NaN;
            double upper = Double.NaN;
            for (int k = 0; k < size; k++) {
                boolean takeWrong = wi < w.length && (ci >= c.length || w[wi] <= c[ci]);
                double conf = takeWrong ? w[wi++] : c[ci++];
                if (k == 0) {
                    lower = conf;
                }
                upper = conf;
                sumConfidence += conf;
                sumCorrect += takeWrong ? 0.0 : 1.0;
            }
            out.add(ReliabilityBin.of(lower, upper, size, sumConfidence, sumCorrect));
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
