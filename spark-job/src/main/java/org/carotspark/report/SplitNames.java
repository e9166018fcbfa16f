package org.carotspark.report;

import java.util.List;

/** The report's split names and column order (the paper's: ID, the five natural shifts, their mean, IN-C). */
public final class SplitNames {

    public static final String IMAGENET = "imagenet";
    public static final String OOD_AVG = "ood-avg";
    public static final String IMAGENET_C = "imagenet-c";
    public static final List<String> NATURAL_SHIFTS =
            List.of("imagenet-v2", "imagenet-r", "imagenet-a", "imagenet-sketch", "objectnet");
    public static final List<String> COLUMNS = List.of(IMAGENET, "imagenet-v2", "imagenet-r", "imagenet-a",
            "imagenet-sketch", "objectnet", OOD_AVG, IMAGENET_C);

    private SplitNames() {
    }
}
