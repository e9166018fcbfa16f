package org.carotspark.train;

import org.carotspark.config.UserFacingException;
import org.carotspark.loss.CarotLoss;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The methods one run compares, by their {@code carot.methods} names. FLYP is L_CLIP alone (λ fixed at 0); CaRot
 * takes its λ from config, so ablations are CaRot with other λ. FT, LP-FT and WiSE-FT are the cross-entropy
 * baselines of the paper's tables (a linear head on CLIP's image tower).
 */
public enum Method {
    ZEROSHOT("zeroshot", false),
    FLYP("flyp", true),
    CAROT("carot", true),
    FT("ft", true),
    LP_FT("lp-ft", true),
    WISE_FT("wise-ft", false);

    private final String configName;
    private final boolean trains;

    Method(String configName, boolean trains) {
        this.configName = configName;
        this.trains = trains;
    }

    /** Whether the method trains a model of its own (WiSE-FT mixes the zero-shot model with FT's). */
    public boolean trains() {
        return trains;
    }

    /** FT, LP-FT and WiSE-FT: a classifier head on the image tower instead of CLIP's contrastive objective. */
    public boolean isClassifierBaseline() {
        return this == FT || this == LP_FT || this == WISE_FT;
    }

    public String configName() {
        return configName;
    }

    /** The objective this method trains: CaRot with the configured λ, or L_CLIP alone. */
    public CarotLoss objective(CarotLoss carot) {
        return this == CAROT ? carot : CarotLoss.CONTRASTIVE_ONLY;
    }

    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new UserFacingException("unknown method '" + name + "' in carot.methods (expected one of "
                + Arrays.stream(values()).map(Method::configName).collect(Collectors.joining(", ")) + ")");
    }
}
