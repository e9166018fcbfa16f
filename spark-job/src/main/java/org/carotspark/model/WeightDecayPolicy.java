package org.carotspark.model;

import java.io.Serializable;

/**
 * AdamW's decoupled weight decay for the CLIP graph: its coefficient, and whether it applies to every
 * parameter (the CaRot/FLYP reference) or to weight matrices only (open_clip's recommendation: not to
 * gains, biases, class token, positional and token embeddings, logit scale).
 */
public record WeightDecayPolicy(double coefficient, boolean allParameters) implements Serializable {

    public static final WeightDecayPolicy NONE = new WeightDecayPolicy(0, false);

    public static WeightDecayPolicy allParameters(double coefficient) {
        return new WeightDecayPolicy(coefficient, true);
    }

    public static WeightDecayPolicy matricesOnly(double coefficient) {
        return new WeightDecayPolicy(coefficient, false);
    }

    /** The coefficient for non-matrix parameters (DL4J's "bias" parameters and the token table). */
    double nonMatrixCoefficient() {
        return allParameters ? coefficient : 0.0;
    }
}
