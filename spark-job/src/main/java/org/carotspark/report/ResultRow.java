package org.carotspark.report;

/**
 * One (method, split) cell of the report. {@code eceTs} is the ECE after the temperature tuned on
 * the ID held-out split; {@code accuracy} does not depend on the temperature.
 */
public record ResultRow(String method, String split, long n, double accuracy, double ece, double eceTs,
                        double temperature) {
}
