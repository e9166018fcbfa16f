package org.carotspark.metrics;

/**
 * One bin of a reliability diagram: the confidence interval it covers, how many predictions fell in
 * it, their mean confidence and their accuracy (NaN for an empty bin).
 */
public record ReliabilityBin(double lower, double upper, long count, double meanConfidence, double accuracy) {

    /** From a bin's sums: Σ confidence and Σ correct over its {@code count} predictions. */
    public static ReliabilityBin of(double lower, double upper, long count, double sumConfidence, double sumCorrect) {
        return new ReliabilityBin(lower, upper, count, count == 0 ? Double.NaN : sumConfidence / count,
                count == 0 ? Double.NaN : sumCorrect / count);
    }
}
