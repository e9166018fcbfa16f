package org.carotspark.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Which calibration metrics are computed: the equal-width ECE bin counts (the first is the headline
 * {@code ece}, reliability diagrams and MCE use it) and the number of equal-mass bins.
 */
public record MetricSettings(int[] eceBins, int adaptiveBins, int bootstrapReplicates, long bootstrapSeed)
        implements Serializable {

    /** Top-k accuracy reported beside top-1. */
    public static final int TOP_K = 5;

    public MetricSettings {
        if (eceBins.length == 0) {
            throw new UserFacingException("carot.eval.ece-bins needs at least one bin count");
        }
        for (int b : eceBins) {
            if (b < 1) {
                throw new UserFacingException("carot.eval.ece-bins must all be >= 1, got " + Arrays.toString(eceBins));
            }
        }
        if (Arrays.stream(eceBins).distinct().count() != eceBins.length) {
            throw new UserFacingException("carot.eval.ece-bins repeats a bin count: " + Arrays.toString(eceBins));
        }
        if (adaptiveBins < 1) {
            throw new UserFacingException("carot.eval.adaptive-ece-bins must be >= 1, got " + adaptiveBins);
        }
        if (bootstrapReplicates < 0 || bootstrapReplicates == 1) {
            throw new UserFacingException("carot.eval.ece-bootstrap.replicates must be 0 (off) or at least 2, got "
                    + bootstrapReplicates);
        }
        eceBins = eceBins.clone();
    }

    /** No bootstrap standard error. */
    public MetricSettings(int[] eceBins, int adaptiveBins) {
        this(eceBins, adaptiveBins, 0, 0);
    }

    /** {@code carot.eval.ece-bins} (a list, or a single number) and {@code carot.eval.adaptive-ece-bins}. */
    public static MetricSettings fromConfig(Config config) {
        Config e = config.getConfig("carot.eval");
        int[] bins = e.getValue("ece-bins").valueType() == ConfigValueType.LIST
                ? e.getIntList("ece-bins").stream().mapToInt(Integer::intValue).toArray()
                : new int[] {e.getInt("ece-bins")};
        return new MetricSettings(bins, e.getInt("adaptive-ece-bins"), e.getInt("ece-bootstrap.replicates"),
                e.getLong("ece-bootstrap.seed"));
    }

    /** The bin count of the headline ECE. */
    public int headlineBins() {
        return eceBins[0];
    }

    public List<Integer> eceBinList() {
        return Arrays.stream(eceBins).boxed().toList();
    }

    @Override
    public int[] eceBins() {
        return eceBins.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSettings m && Arrays.equals(eceBins, m.eceBins) && adaptiveBins == m.adaptiveBins
                && bootstrapReplicates == m.bootstrapReplicates && bootstrapSeed == m.bootstrapSeed;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(eceBins), adaptiveBins, bootstrapReplicates, bootstrapSeed);
    }

    @Override
    public String toString() {
        return "MetricSettings[eceBins=" + Arrays.toString(eceBins) + ", adaptiveBins=" + adaptiveBins
                + ", bootstrapReplicates=" + bootstrapReplicates + ", bootstrapSeed=" + bootstrapSeed + "]";
    }
}
