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
    ZEROSHOT("zeroshot"),
    FLYP("flyp"),
    CAROT("carot"),
    FT("ft"),
    LP_FT("lp-ft"),
    WISE_FT("wise-ft");

    private final String configName;

    Method(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The contrastive loss this method trains CLIP with: CaRot with the configured λ, or L_CLIP alone. */
    public CarotLoss loss(CarotLoss carot) {
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
