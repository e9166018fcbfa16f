package org.carotspark.report;

import org.carotspark.metrics.Metrics;
/**
 * One flat row of the report: a method on a split, or on one IN-C (corruption, severity) group, or
 * the mean over an IN-C corruption's severities ({@code severity} null); {@code corruption} and
 * {@code severity} are both null for a split's total. {@code raw} are the metrics at T = 1,
 * {@code scaled} at the temperature tuned on the ID held-out split; {@code temperatureAtGridEdge}
 * says the tuned optimum sat on the searched grid's edge (the true optimum lies beyond it).
 */
public record ResultRow(String method, String split, String corruption, Integer severity, double temperature,
                        boolean temperatureAtGridEdge, Metrics raw, Metrics scaled) {

    /** A split total with only accuracy, raw and temperature-scaled ECE known (small tests, older reports). */
    public ResultRow(String method, String split, long n, double accuracy, double ece, double eceTs,
                     double temperature) {
        this(method, split, null, null, temperature, false, Metrics.accuracyAndEce(n, accuracy, ece),
                Metrics.accuracyAndEce(n, accuracy, eceTs));
    }

    public long n() {
        return raw.n();
    }

    public double accuracy() {
        return raw.accuracy();
    }

    public double ece() {
        return raw.ece();
    }

    public double eceTs() {
        return scaled.ece();
    }

    /** A whole split (not one IN-C corruption or severity). */
    public boolean isSplitTotal() {
        return corruption == null && severity == null;
    }
}
