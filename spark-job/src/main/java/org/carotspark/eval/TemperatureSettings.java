package org.carotspark.eval;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;
import java.util.Locale;

/**
 * {@code carot.eval.temperature}: the objective the temperature minimises on the ID held-out split,
 * the log-spaced starting grid, how often the grid may grow past an edge, and when golden-section
 * refinement stops.
 */
public record TemperatureSettings(Objective objective, double min, double max, int steps, int maxWidenings,
                                  double refineTolerance) implements Serializable {

    /** What the held-out split's temperature minimises. */
    public enum Objective {
        /** The headline equal-width ECE (the paper's protocol). */
        ECE,
        /** Mean negative log-likelihood (classic temperature scaling). */
        NLL
    }

    public TemperatureSettings {
        if (!(min > 0 && max > min && steps >= 3)) {
            throw new UserFacingException("carot.eval.temperature needs 0 < min < max and steps >= 3, got min "
                    + min + ", max " + max + ", steps " + steps);
        }
        if (maxWidenings < 0) {
            throw new UserFacingException("carot.eval.temperature.max-widenings must be >= 0, got " + maxWidenings);
        }
        if (!(refineTolerance > 0)) {
            throw new UserFacingException("carot.eval.temperature.refine-tolerance must be > 0, got " + refineTolerance);
        }
    }

    public static TemperatureSettings fromConfig(Config config) {
        Config t = config.getConfig("carot.eval.temperature");
        String objective = t.getString("objective").strip().toUpperCase(Locale.ROOT);
        Objective o;
        try {
            o = Objective.valueOf(objective);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("carot.eval.temperature.objective must be \"ece\" or \"nll\", got \""
                    + t.getString("objective") + "\"");
        }
        return new TemperatureSettings(o, t.getDouble("min"), t.getDouble("max"), t.getInt("steps"),
                t.getInt("max-widenings"), t.getDouble("refine-tolerance"));
    }
}
