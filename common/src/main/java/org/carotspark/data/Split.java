package org.carotspark.data;

import org.carotspark.config.UserFacingException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The dataset splits, by the names used everywhere: config keys ({@code carot.data.splits.<name>}),
 * Parquet directories ({@code <parquet-root>/<name>/}), the {@code split} column and reports.
 */
public enum Split {
    /** ILSVRC2012 train minus the held-out part. */
    IMAGENET_TRAIN("imagenet-train", Layout.WNID_FOLDERS),
    /** ID held-out split carved deterministically from train (temperature tuning); has no raw path. */
    IMAGENET_HELDOUT("imagenet-heldout", Layout.DERIVED),
    /** ILSVRC2012 val: the ID test split. */
    IMAGENET("imagenet", Layout.WNID_FOLDERS),
    IMAGENET_V2("imagenet-v2", Layout.CLASS_INDEX_FOLDERS),
    IMAGENET_R("imagenet-r", Layout.WNID_FOLDERS),
    IMAGENET_A("imagenet-a", Layout.WNID_FOLDERS),
    IMAGENET_SKETCH("imagenet-sketch", Layout.WNID_FOLDERS),
    OBJECTNET("objectnet", Layout.OBJECTNET),
    IMAGENET_C("imagenet-c", Layout.CORRUPTION_SEVERITY_WNID);

    /** The on-disk layout family a split is published in. */
    public enum Layout { WNID_FOLDERS, CLASS_INDEX_FOLDERS, OBJECTNET, CORRUPTION_SEVERITY_WNID, DERIVED }

    private final String configName;
    private final Layout layout;

    Split(String configName, Layout layout) {
        this.configName = configName;
        this.layout = layout;
    }

    /** The split's name in config, Parquet paths and the {@code split} column, e.g. {@code imagenet-v2}. */
    public String configName() {
        return configName;
    }

    public Layout layout() {
        return layout;
    }

    /** True for splits read from their own raw root (all but the derived held-out split). */
    public boolean hasRawRoot() {
        return layout != Layout.DERIVED;
    }

    /** The five natural distribution shifts whose mean is the paper's "OOD avg" (IN-C is reported apart). */
    public boolean isOodShift() {
        return this == IMAGENET_V2 || this == IMAGENET_R || this == IMAGENET_A || this == IMAGENET_SKETCH
                || this == OBJECTNET;
    }

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
