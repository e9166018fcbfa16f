package org.carotspark.metrics;

import java.util.SplittableRandom;

/**
 * The standard error of a split's ECE by the nonparametric bootstrap: the split's (confidence, correct) pairs are
 * resampled with replacement {@code replicates} times, each resample's equal-width ECE computed exactly as the
 * headline ECE is, and the standard deviation of those ECEs reported. The pairs are taken in sorted order and the
 * draws come from a fixed seed, so the result does not depend on how the split was partitioned.
 */
public final class EceBootstrap {

    private EceBootstrap() {
    }

    /** NaN when there are fewer than two pairs or {@code replicates} < 2. */
    public static double standardError(EqualMassBins pairs, int numBins, int replicates, long seed) {
        double[] confidence = pairs.sortedConfidences();
        boolean[] correct = pairs.sortedCorrectness();
        int n = confidence.length;
        if (n < 2 || replicates < 2) {
            return Double.NaN;
        }
        SplittableRandom r = new SplittableRandom(seed);
        double sum = 0.0;
        double sumSquares = 0.0;
        for (int b = 0; b < replicates; b++) {
            CalibrationBins bins = new CalibrationBins(numBins);
            for (int i = 0; i < n; i++) {
                int j = r.nextInt(n);
                bins.add(confidence[j], correct[j]);
            }
            double ece = bins.expectedCalibrationError();
            sum += ece;
            sumSquares += ece * ece;
        }
        double mean = sum / replicates;
        return Math.sqrt(Math.max(0.0, (sumSquares - replicates * mean * mean) / (replicates - 1)));
    }
}
