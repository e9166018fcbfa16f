package org.carotspark.eval;

import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.ReferenceBatchEce;
import java.util.Map;

/**
 * A split's evaluation: group key → statistics per temperature, and group key → the reference's per-batch ECE
 * ({@link ReferenceBatchEce}) per temperature, both index-aligned with the evaluated temperatures.
 */
public record SplitStatistics(Map<String, PredictionStats[]> groups, Map<String, double[]> referenceEce) {
}
