package org.carotspark.synth;

import org.carotspark.corrupt.Corruption;
import org.carotspark.corrupt.ImageNetC;
import org.carotspark.data.CorruptionNames;
import org.carotspark.image.ImageDecoder;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/** The generator's ImageNet-C: {@link ImageNetC}'s 15 corruptions applied to its rendered val images. */
public final class Corruptions {

    /** Every corruption the generator can apply: all 15 of the benchmark. */
    public static final List<String> SUPPORTED = CorruptionNames.BENCHMARK;

    private Corruptions() {
    }

    /** {@code corruption} at {@code severity}, its random stream seeded from {@code rnd}. */
    public static BufferedImage apply(String corruption, int severity, BufferedImage src, Random rnd) {
        Corruption c = Corruption.fromConfigName(corruption);
        if (c == null) {
            throw new IllegalArgumentException("unsupported corruption '" + corruption + "' (supported: " + SUPPORTED
                    + ")");
        }
        return ImageNetC.apply(ImageDecoder.toRgb(src), c, severity, rnd.nextLong()).toBufferedImage();
    }
}
