package org.carotspark.corrupt;

import org.carotspark.data.CorruptionNames;

import java.util.Locale;

/** ImageNet-C's 15 benchmark corruptions, in the benchmark's order; {@link #configName()} as its folders spell it. */
public enum Corruption {
    GAUSSIAN_NOISE, SHOT_NOISE, IMPULSE_NOISE,
    DEFOCUS_BLUR, GLASS_BLUR, MOTION_BLUR, ZOOM_BLUR,
    SNOW, FROST, FOG, BRIGHTNESS,
    CONTRAST, ELASTIC_TRANSFORM, PIXELATE, JPEG_COMPRESSION;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The corruption of a folder / config name, or null when it is not one of the 15. */
    public static Corruption fromConfigName(String name) {
        for (Corruption c : values()) {
            if (c.configName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static {
        // The enum and the shared name list must agree, in order.
        for (Corruption c : values()) {
            if (!CorruptionNames.BENCHMARK.get(c.ordinal()).equals(c.configName())) {
                throw new IllegalStateException("corruption order differs from CorruptionNames.BENCHMARK at " + c);
            }
        }
    }
}
