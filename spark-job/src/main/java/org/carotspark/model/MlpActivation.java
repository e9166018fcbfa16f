package org.carotspark.model;

import org.carotspark.model.backprop.MlpNonlinearity;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Locale;

/**
 * The activation of the transformer blocks' MLPs, one for both towers as open_clip builds them: OpenAI's CLIP weights
 * were trained with QuickGELU (x·σ(1.702x); open_clip's {@code quick_gelu = true}, Hugging Face's
 * {@code hidden_act = "quick_gelu"}); open_clip's own models (LAION, DataComp, ...) with {@code nn.GELU}, the exact
 * erf form (open_clip's default, Hugging Face's {@code "gelu"}).
 */
public enum MlpActivation {
    /** x·σ(1.702·x). */
    QUICK_GELU("quick-gelu"),
    /** ½·x·(1 + erf(x/√2)), PyTorch's {@code nn.GELU()} (approximate='none'). */
    GELU("gelu");

    private final String configName;

    MlpActivation(String configName) {
        this.configName = configName;
    }

    /** The name in {@code carot.model.activation}. */
    public String configName() {
        return configName;
    }

    /** {@code carot.model.activation}: "quick-gelu" or "gelu". */
    public static MlpActivation parse(String name) {
        for (MlpActivation a : values()) {
            if (a.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation must be \"quick-gelu\" or \"gelu\", got \"" + name + "\"");
    }

    /** The same function for the towers' written-out forward and backward. */
    MlpNonlinearity nonlinearity() {
        return switch (this) {
            case QUICK_GELU -> MlpNonlinearity.QUICK_GELU;
            case GELU -> MlpNonlinearity.ERF_GELU;
        };
    }

    /** The activation applied to {@code x} in {@code sd}. */
    SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case QUICK_GELU -> x.mul(sd.nn.sigmoid(x.mul(1.702)));
            // Written out: ND4J's own gelu ops are the sigmoid and tanh approximations, not the erf form.
            case GELU -> x.mul(sd.math.erf(x.mul(1 / Math.sqrt(2))).add(1.0)).mul(0.5);
        };
    }
}
