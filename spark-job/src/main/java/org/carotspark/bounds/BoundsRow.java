package org.carotspark.bounds;

import java.io.Serializable;
import java.util.Locale;

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
        return Variant.valueOf(variant.toUpperCase(Locale.ROOT));
    }
}
