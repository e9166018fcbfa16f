package org.carotspark.report;

/**
 * The smallest singular values (ascending) of the covariance of a method's standardised ID image
 * features (the paper's Figure 6); the first is σ_min, the quantity the paper's bound depends on.
 */
public record FeatureSpectrum(String method, String split, double[] smallestSingularValues) {

    public FeatureSpectrum {
        if (smallestSingularValues.length == 0) {
            throw new IllegalArgumentException("a feature spectrum needs at least one singular value");
        }
        smallestSingularValues = smallestSingularValues.clone();
    }

    public double sigmaMin() {
        return smallestSingularValues[0];
    }

    @Override
    public double[] smallestSingularValues() {
        return smallestSingularValues.clone();
    }
}
