package org.carotspark.data;

import java.util.List;

/**
 * ImageNet-C's corruption names (Hendrycks &amp; Dietterich, 2019) in the benchmark's own order
 * (noise, blur, weather, digital), as its folders and the {@code corruption} column spell them.
 */
public final class CorruptionNames {

    /** The 15 benchmark corruptions. */
    public static final List<String> BENCHMARK = List.of(
            "gaussian_noise", "shot_noise", "impulse_noise",
            "defocus_blur", "glass_blur", "motion_blur", "zoom_blur",
            "snow", "frost", "fog", "brightness",
            "contrast", "elastic_transform", "pixelate", "jpeg_compression");

    /** The four extra corruptions published for validation. */
    public static final List<String> EXTRA = List.of("speckle_noise", "gaussian_blur", "spatter", "saturate");

    /** Severities of every corruption. */
    public static final int MIN_SEVERITY = 1;
    public static final int MAX_SEVERITY = 5;

    private CorruptionNames() {
    }

    /** Position in the benchmark order (the extras after it, unknown names last), for sorting reports. */
    public static int order(String corruption) {
        int i = BENCHMARK.indexOf(corruption);
        if (i >= 0) {
            return i;
        }
        int j = EXTRA.indexOf(corruption);
        return j >= 0 ? BENCHMARK.size() + j : BENCHMARK.size() + EXTRA.size();
    }
}
