package org.carotspark.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

import java.io.Serializable;

/**
 * A scalar function of CLIP's two projections that a training objective penalises, e.g. CaRot's
 * ‖W_vᵀW_v − I‖_F. The objective defines it; {@link ClipProjectionHead} evaluates it where the weights
 * live (as Keras layers evaluate their kernel regularisers) and hands its value on beside the
 * features, so the objective itself owns no weights. Implementations are part of the graph's JSON
 * configuration: they need a no-arg constructor and bean properties.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public interface ProjectionPenalty extends Serializable {

    /** The term's name in progress lines and reports, e.g. {@code orthogonality}. */
    String name();

    /**
     * @param visualProjection W_v {@code [visionWidth, D]}, applied as {@code x·W_v}
     * @param textProjection   W_t {@code [textWidth, D]}
     * @return a scalar
     */
    SDVariable define(SameDiff sd, SDVariable visualProjection, SDVariable textProjection);
}
