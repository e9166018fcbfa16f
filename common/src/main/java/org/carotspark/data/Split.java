package org.carotspark.data;

import org.carotspark.config.UserFacingException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The dataset splits, by the names used everywhere: config keys ({@code carot.data.splits.<name>}),
 * Parquet directories ({@code <parquet-root>/<name>/}), the {@code split} column and reports.
 */
public enum Split {
    /** ILSVRC2012 train minus the held-out part. */
    IMAGENET_TRAIN("imagenet-train", true),
    /** ID held-out split carved deterministically from train (temperature tuning); has no raw path. */
    IMAGENET_HELDOUT("imagenet-heldout", false),
    /** ILSVRC2012 val: the ID test split. */
    IMAGENET("imagenet", true),
    IMAGENET_V2("imagenet-v2", true),
    IMAGENET_R("imagenet-r", true),
    IMAGENET_A("imagenet-a", true),
    IMAGENET_SKETCH("imagenet-sketch", true),
    OBJECTNET("objectnet", true),
    IMAGENET_C("imagenet-c", true);

    private final String configName;
    private final boolean rawRoot;

    Split(String configName, boolean rawRoot) {
        this.configName = configName;
        this.rawRoot = rawRoot;
    }

    /** The split's name in config, Parquet paths and the {@code split} column, e.g. {@code imagenet-v2}. */
    public String configName() {
        return configName;
    }

    /** True for splits read from their own raw root (all but the derived held-out split). */
    public boolean hasRawRoot() {
        return rawRoot;
    }

    /** The five natural distribution shifts whose mean is the paper's "OOD avg" (IN-C is reported apart). */
    public boolean isOodShift() {
        return naturalShifts().contains(this);
    }

    /** The natural shifts in the paper's column order. */
    public static List<Split> naturalShifts() {
        return List.of(IMAGENET_V2, IMAGENET_R, IMAGENET_A, IMAGENET_SKETCH, OBJECTNET);
    }

    /** The split named {@code name} in config; an unknown name is a one-line user error. */
    public static Split fromConfigName(String name) {
        for (Split s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        throw new UserFacingException("unknown split '" + name + "' (known: "
                + Arrays.stream(values()).map(Split::configName).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return configName;
    }
}
