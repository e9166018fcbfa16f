package org.carotspark.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Sufficient statistics for top-label accuracy and ECE: per equal-width confidence bin, the
 * count, Σ confidence and Σ correct. Executors fill one per partition and the driver merges them,
 * so the distributed metric is exactly the single-pass metric (not an average of partition ECEs).
 *
 * <p>Bin i covers (i/M, (i+1)/M]; a confidence of exactly 0 goes to bin 0. This matches the
 * {@code lower < conf <= upper} convention of the usual reference implementations.
 */
public final class CalibrationBins implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] count;
    private final double[] sumConfidence;
    private final double[] sumCorrect;

    public CalibrationBins(int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException("number of ECE bins must be >= 1, got " + numBins);
        }
        count = new long[numBins];
        sumConfidence = new double[numBins];
        sumCorrect = new double[numBins];
    }

    public static int binOf(double confidence, int numBins) {
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must lie in [0, 1], got " + confidence);
        }
        // Estimate then correct, so a confidence exactly on an edge i/M lands in the bin it closes
        // even where confidence * M rounds up (0.3 * 10 = 3.0000000000000004).
        int bin = (int) Math.ceil(confidence * numBins) - 1;
        bin = Math.max(0, Math.min(numBins - 1, bin));
        while (bin > 0 && confidence <= upperEdge(bin - 1, numBins)) {
            bin--;
        }
        while (bin < numBins - 1 && confidence > upperEdge(bin, numBins)) {
            bin++;
        }
        return bin;
    }

    private static double upperEdge(int bin, int numBins) {
        return (bin + 1) / (double) numBins;
    }

    public void add(double confidence, boolean correct) {
        int b = binOf(confidence, count.length);
        count[b]++;
        sumConfidence[b] += confidence;
        sumCorrect[b] += correct ? 1.0 : 0.0;
    }

    /** Adds {@code other} into this and returns this (usable as a Spark reduce/fold function). */
    public CalibrationBins merge(CalibrationBins other) {
        if (other.count.length != count.length) {
            throw new IllegalArgumentException("cannot merge " + other.count.length + " bins into " + count.length);
        }
        for (int i = 0; i < count.length; i++) {
            count[i] += other.count[i];
            sumConfidence[i] += other.sumConfidence[i];
            sumCorrect[i] += other.sumCorrect[i];
        }
        return this;
    }

    public int numBins() {
        return count.length;
    }

    public long total() {
        return Arrays.stream(count).sum();
    }

    public long count(int bin) {
        return count[bin];
    }

    public double sumConfidence(int bin) {
        return sumConfidence[bin];
    }

    public double sumCorrect(int bin) {
        return sumCorrect[bin];
    }

    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : Arrays.stream(sumCorrect).sum() / n;
    }

    public double meanConfidence() {
        long n = total();
        return n == 0 ? Double.NaN : Arrays.stream(sumConfidence).sum() / n;
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
                ece += Math.abs(sumCorrect[i] - sumConfidence[i]) / n;
            }
        }
        return ece;
    }
}
