package org.carotspark.ema;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;

/**
 * An {@code ema} block ({@code carot.train.ema}, {@code carot.bounds.ema}): the teacher schedule
 * before the run length is known, validated when read so a bad value fails before any work.
 */
public record EmaSettings(int intervalSteps, double momentumStart, double momentumEnd, double rampFraction)
        implements Serializable {

    /** The training run's {@code carot.train.ema}. */
    public static EmaSettings fromConfig(Config config) {
        return from(config.getConfig("carot.train"), "carot.train.ema");
    }

    /** The {@code ema} block under {@code parent}; {@code path} names it in error messages. */
    public static EmaSettings from(Config parent, String path) {
        Config ema = parent.getConfig("ema");
        EmaSettings s = new EmaSettings(ema.getInt("interval-steps"), ema.getDouble("momentum-start"),
                ema.getDouble("momentum-end"), ema.getDouble("momentum-ramp-fraction"));
        require(s.intervalSteps >= 1, path + ".interval-steps must be >= 1, got " + s.intervalSteps);
        require(inUnitInterval(s.momentumStart) && inUnitInterval(s.momentumEnd),
                path + ".momentum-start and momentum-end must lie in [0, 1], got " + s.momentumStart + " and "
                        + s.momentumEnd);
        require(inUnitInterval(s.rampFraction), path + ".momentum-ramp-fraction must lie in [0, 1], got "
                + s.rampFraction);
        return s;
    }

    private static boolean inUnitInterval(double v) {
        return v >= 0 && v <= 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserFacingException(message);
        }
    }

    public EmaMomentumSchedule schedule(long totalSteps) {
        return new EmaMomentumSchedule(intervalSteps, momentumStart, momentumEnd, rampFraction, totalSteps);
    }
}
