package org.carotspark.train;

import org.carotspark.config.UserFacingException;
import org.carotspark.loss.CarotObjective;

import java.util.Locale;

/**
 * The fine-tuning methods one code path runs. λ values of FLYP are fixed at 0 (it is L_CLIP
 * alone); CaRot takes them from config, so ablations are CaRot with other λ.
 */
public enum Method {
    ZEROSHOT(false),
    FLYP(true),
    CAROT(true);

    private final boolean trains;

    Method(boolean trains) {
        this.trains = trains;
    }

    public boolean trains() {
        return trains;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The objective this method trains: CaRot with the configured λ, or L_CLIP alone. */
    public CarotObjective objective(TrainingSettings s) {
        return this == CAROT ? new CarotObjective(s.lambdaOc(), s.lambdaSd()) : CarotObjective.CONTRASTIVE_ONLY;
    }

    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new UserFacingException("unknown method '" + name + "' in carot.methods (expected zeroshot, flyp or carot)");
    }
}
