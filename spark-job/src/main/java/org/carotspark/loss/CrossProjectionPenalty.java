package org.carotspark.loss;

import org.carotspark.model.ProjectionPenalty;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * ‖W_v W_tᵀ‖_F: the visual projection times the text projection transposed, a term the official CaRot
 * script adds with weight 0.05 ({@code --cross_fnorm 0.05}); not in the paper's text. With the
 * {@code x·W} convention both are {@code [width, D]}, so the product is {@code [visionWidth, textWidth]}.
 */
public class CrossProjectionPenalty implements ProjectionPenalty {

    private static final long serialVersionUID = 1L;
    public static final String NAME = "cross";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable visualProjection, SDVariable textProjection) {
        SDVariable product = sd.mmul(visualProjection, textProjection, false, true, false);
        return product.mul(product).sum().pow(0.5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrossProjectionPenalty;
    }

    @Override
    public int hashCode() {
        return NAME.hashCode();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
