package org.carotspark.bounds;

import com.typesafe.config.Config;
import java.util.Locale;
import org.carotspark.config.UserFacingException;
import org.carotspark.ema.EmaSettings;

import java.io.Serializable;
import java.util.List;

/**
 * Everything under {@code carot.bounds}, validated once on the driver and shipped to the tasks.
 * Defaults and the meaning of each key live in spark-job's reference.conf.
 */
public record BoundsSettings(
        String outputDir,
        List<Integer> seeds,
        int partitions,
        DataSpec data,
        List<Double> shiftStrengths,
        int repDim,
        Loss loss,
        int steps,
        double learningRate,
        double weightDecay,
        List<Double> ocStrengths,
        List<Double> sdStrengths,
        boolean bothProduct,
        EmaSettings ema,
        int eceBins,
        int plotWidth,
        int plotHeight) implements Serializable {

    /** Training objective of the head's probability p against the label y ∈ {0, 1}. */
    public enum Loss { CE, MSE }

    public static BoundsSettings from(Config config) {
        Config b = config.getConfig("carot.bounds");
        Config d = b.getConfig("data");
        Config o = b.getConfig("ood");
        Config m = b.getConfig("model");
        Config r = b.getConfig("regularizers");
        DataSpec data = new DataSpec(
                positive(d, "block1-dims"), positive(d, "block2-dims"), nonNegative(d, "noise-dims"),
                d.getDouble("block1-mean"), d.getDouble("block2-mean"), positiveDouble(d, "noise-std"),
                positive(d, "train-size"), positive(d, "test-size"), positive(d, "ood-size"),
                o.getDouble("block1-mean-drop"), o.getDouble("block2-scale-drop"));
        String lossName = m.getString("loss").trim().toUpperCase(Locale.ROOT);
        Loss loss;
        try {
            loss = Loss.valueOf(lossName);
        } catch (IllegalArgumentException ex) {
            throw new UserFacingException("carot.bounds.model.loss must be \"ce\" or \"mse\", got \""
                    + m.getString("loss") + "\"");
        }
        String grid = r.getString("both-grid").trim();
        if (!grid.equals("product") && !grid.equals("zip")) {
            throw new UserFacingException("carot.bounds.regularizers.both-grid must be \"product\" or \"zip\", got \""
                    + grid + "\"");
        }
        List<Double> oc = r.getDoubleList("oc-strengths");
        List<Double> sd = r.getDoubleList("sd-strengths");
        if (grid.equals("zip") && oc.size() != sd.size()) {
            throw new UserFacingException("both-grid = zip needs oc-strengths and sd-strengths of equal length");
        }
        List<Integer> seeds = b.getIntList("seeds");
        if (seeds.isEmpty()) {
            throw new UserFacingException("carot.bounds.seeds must list at least one seed");
        }
        return new BoundsSettings(
                b.getString("output-dir"), List.copyOf(seeds), nonNegative(b, "partitions"), data,
                List.copyOf(o.getDoubleList("shift-strengths")),
                positive(m, "rep-dim"), loss, nonNegative(m, "steps"), positiveDouble(m, "learning-rate"),
                m.getDouble("weight-decay"),
                List.copyOf(oc), List.copyOf(sd), grid.equals("product"),
                EmaSettings.from(b, "carot.bounds.ema"),
                positive(b.getConfig("metrics"), "ece-bins"),
                positive(b.getConfig("plots"), "width"), positive(b.getConfig("plots"), "height"));
    }

    /** The shape of the synthetic data and of its OOD shift. */
    public record DataSpec(int block1Dims, int block2Dims, int noiseDims,
                           double block1Mean, double block2Mean, double noiseStd,
                           int trainSize, int testSize, int oodSize,
                           double block1MeanDrop, double block2ScaleDrop) implements Serializable {
        public int dims() {
            return block1Dims + block2Dims + noiseDims;
        }
    }

    private static int positive(Config c, String key) {
        int v = c.getInt(key);
        if (v < 1) {
            throw new UserFacingException(key + " must be >= 1, got " + v);
        }
        return v;
    }

    private static int nonNegative(Config c, String key) {
        int v = c.getInt(key);
        if (v < 0) {
            throw new UserFacingException(key + " must be >= 0, got " + v);
        }
        return v;
    }

    private static double positiveDouble(Config c, String key) {
        double v = c.getDouble(key);
        if (!(v > 0)) {
            throw new UserFacingException(key + " must be > 0, got " + v);
        }
        return v;
    }
}
