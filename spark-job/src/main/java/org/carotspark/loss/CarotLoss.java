package org.carotspark.loss;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipLoss;
import org.carotspark.model.ProjectionPenalty;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Locale;

/**
 * The CaRot objective with its weights, as the reference code defines them:
 * L_CLIP + λ_SD·L_SD + λ_OC·‖W_vᵀW_v − I‖_F + λ_cross·‖W_v W_tᵀ‖_F, with L_SD summed over both directions.
 * FLYP is all λ = 0. Both penalties are evaluated (and reported) whatever their weight, so runs compare on them.
 */
public record CarotLoss(double lambdaOc, double lambdaSd, double lambdaCross) implements ClipLoss {

    public static final CarotLoss CONTRASTIVE_ONLY = new CarotLoss(0, 0, 0);

    public CarotLoss {
        if (!(lambdaOc >= 0 && lambdaSd >= 0 && lambdaCross >= 0)) {
            throw new UserFacingException(String.format(Locale.ROOT,
                    "carot.loss λ must be >= 0, got lambda-oc %s, lambda-sd %s, lambda-cross %s",
                    lambdaOc, lambdaSd, lambdaCross));
        }
    }

    /** {@code carot.loss.*}: CaRot's weights. */
    public static CarotLoss fromConfig(Config config) {
        Config l = config.getConfig("carot.loss");
        return new CarotLoss(l.getDouble("lambda-oc"), l.getDouble("lambda-sd"), l.getDouble("lambda-cross"));
    }

    @Override
    public List<ProjectionPenalty> penalties() {
        return List.of(new OrthogonalityPenalty(), new CrossProjectionPenalty());
    }

    @Override
    public Layer outputLayer(int embedDim) {
        return new CarotLossLayer(embedDim, lambdaSd, List.of(OrthogonalityPenalty.NAME, CrossProjectionPenalty.NAME),
                List.of(lambdaOc, lambdaCross));
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
        return String.format(Locale.ROOT, "CaRot(λ_OC %s, λ_SD %s, λ_cross %s)", lambdaOc, lambdaSd, lambdaCross);
    }
}
