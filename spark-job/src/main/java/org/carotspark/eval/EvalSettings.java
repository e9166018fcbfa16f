package org.carotspark.eval;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.Split;

import java.io.Serializable;
import java.util.List;

/** {@code carot.eval.*}. */
public record EvalSettings(List<Split> splits, int eceBins, int batchSize, int textBatchSize,
                           double[] temperatures) implements Serializable {

    public static EvalSettings fromConfig(Config config) {
        Config e = config.getConfig("carot.eval");
        double min = e.getDouble("temperature.min");
        double max = e.getDouble("temperature.max");
        int steps = e.getInt("temperature.steps");
        if (!(min > 0 && max > min && steps >= 2)) {
            throw new UserFacingException("carot.eval.temperature needs 0 < min < max and steps >= 2, got min "
                    + min + ", max " + max + ", steps " + steps);
        }
        // Index 0 is always T = 1 (the raw model); then a log-spaced grid for tuning on the held-out split.
        double[] temps = new double[steps + 1];
        temps[0] = 1.0;
        for (int i = 0; i < steps; i++) {
            temps[i + 1] = Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * i / (steps - 1));
        }
        int bins = e.getInt("ece-bins");
        if (bins < 1) {
            throw new UserFacingException("carot.eval.ece-bins must be >= 1, got " + bins);
        }
        return new EvalSettings(e.getStringList("splits").stream().map(Split::fromConfigName).toList(), bins, e.getInt("batch-size"),
                e.getInt("text-batch-size"), temps);
    }
}
