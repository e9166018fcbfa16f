package org.carotspark.loss;

import org.carotspark.model.ClipObjective;
import org.carotspark.model.ProjectionPenalty;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

/**
 * The CaRot objective with its weights: L_CLIP + λ_SD·L_SD + λ_OC·L_OC. FLYP is λ_SD = λ_OC = 0. The
 * orthogonality penalty is evaluated (and reported) whatever its weight, so runs compare on it.
 */
public record CarotObjective(double lambdaOc, double lambdaSd) implements ClipObjective {

    public static final CarotObjective CONTRASTIVE_ONLY = new CarotObjective(0, 0);

    @Override
    public List<ProjectionPenalty> penalties() {
        return List.of(new OrthogonalityPenalty());
    }

    @Override
    public Layer outputLayer(int embedDim) {
        return new CarotObjectiveLayer(embedDim, lambdaSd, List.of(OrthogonalityPenalty.NAME), List.of(lambdaOc));
    }

    public boolean distills() {
        return lambdaSd > 0;
    }

    /** All-zero soft targets {@code [B, 2B]}: the distillation term is Σ −p^ψ log p^θ, so they switch it off. */
    public static INDArray noTeacher(int batchSize, DataType dtype) {
        return Nd4j.zeros(dtype, batchSize, 2L * batchSize);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CaRot(λ_OC %s, λ_SD %s)", lambdaOc, lambdaSd);
    }
}
