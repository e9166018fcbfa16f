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
    IMAGENET_TRAIN("imagenet-train"),
    /**
     * ID held-out split (temperature tuning): carved deterministically from train, or read from its own raw path
     * when {@code carot.data.splits.imagenet-heldout.path} is set.
     */
    IMAGENET_HELDOUT("imagenet-heldout"),
    /** ILSVRC2012 val: the ID test split. */
    IMAGENET("imagenet"),
    IMAGENET_V2("imagenet-v2"),
    IMAGENET_R("imagenet-r"),
    IMAGENET_A("imagenet-a"),
    IMAGENET_SKETCH("imagenet-sketch"),
    OBJECTNET("objectnet"),
    IMAGENET_C("imagenet-c");

    private final String configName;

    Split(String configName) {
        this.configName = configName;
    }

    /** The split's name in config, Parquet paths and the {@code split} column, e.g. {@code imagenet-v2}. */
    public String configName() {
        return configName;
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
