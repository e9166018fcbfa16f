package org.carotspark.bounds;

import java.io.Serializable;

/**
 * One row of bounds.json: one trained model (variant, strengths, seed) evaluated on one OOD shift.
 * The ID columns are the same for every shift of one model.
 */
public record BoundsRow(
        String variant,
        double lambdaOc,
        double lambdaSd,
        int seed,
        double shift,
        double idSigmaMin,
        double idEce,
        double idMse,
        double idAccuracy,
        double oodMse,
        double oodEce,
        double oodAccuracy,
        double orthogonalityGap,
        double rhs) implements Serializable {

    public Variant variantEnum() {
        return Variant.valueOf(variant.toUpperCase(java.util.Locale.ROOT));
    }
}
