package org.carotspark.ema;

import com.typesafe.config.Config;

import java.io.Serializable;

/** {@code carot.train.ema.*}: the teacher schedule before the run length is known. */
public record EmaSettings(int intervalSteps, double momentumStart, double momentumEnd, double rampFraction)
        implements Serializable {

    public static EmaSettings fromConfig(Config config) {
        Config ema = config.getConfig("carot.train.ema");
        return new EmaSettings(ema.getInt("interval-steps"), ema.getDouble("momentum-start"),
                ema.getDouble("momentum-end"), ema.getDouble("momentum-ramp-fraction"));
    }

    public EmaMomentumSchedule schedule(long totalSteps) {
        return new EmaMomentumSchedule(intervalSteps, momentumStart, momentumEnd, rampFraction, totalSteps);
    }
}
