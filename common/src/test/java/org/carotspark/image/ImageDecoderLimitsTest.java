package org.carotspark.image;

import org.carotspark.testing.HostileImages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header size checks before decoding, and bounded-memory decoding of large legal images. */
class ImageDecoderLimitsTest {

    @Test
    void aTinyJpegClaiming16000x16000IsRejectedBeforeDecoding() {
        byte[] bomb = HostileImages.jpegClaiming(16000, 16000);
        assertTrue(bomb.length < 2000, "a few hundred bytes: " + bomb.length);
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(bomb));
        assertEquals("16000x16000 = 256000000 pixels exceeds the limit of 89478485 (carot.prep.max-image-pixels)",
                e.getMessage());
        // Through the whole pipeline too, at a configured limit.
        ImagePreprocessor prep = new ImagePreprocessor(32, 90, new DecodeLimits(1_000_000, 500_000));
        ImageTooLargeException viaPrep = assertThrows(ImageTooLargeException.class, () -> prep.process(bomb));
        assertTrue(viaPrep.getMessage().endsWith("exceeds the limit of 1000000 (carot.prep.max-image-pixels)"));
    }

    @Test
    void aPngBombIsRejectedToo() throws Exception {
        byte[] bomb = HostileImages.pngClaiming(20000, 20000);
        assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(bomb));
    }

    @Test
    void anImageExactlyAtTheLimitIsDecoded() throws Exception {
        byte[] jpeg = ImagePreprocessor.encodeJpeg(HostileImages.gradient(40, 25), 90);
        assertEquals(40, ImageDecoder.decode(jpeg, new DecodeLimits(1000, 1000)).width());
        assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(jpeg, new DecodeLimits(999, 999)));
    }

    @Test
    void subsamplingStepKeepsTheDecodedPixelCountWithinTheBudget() {
        DecodeLimits limits = new DecodeLimits(DecodeLimits.PIL_MAX_IMAGE_PIXELS, 500_000);
        assertEquals(1, limits.subsampling(700, 700));
        assertEquals(4, limits.subsampling(3000, 2000)); // step 3 would keep 1000·667 = 667 000 pixels
        assertEquals(1, limits.subsampling(500_000, 1));
        for (int[] d : new int[][] {{9999, 8888}, {3001, 2999}, {100_000, 50}, {640, 4000}}) {
            int f = limits.subsampling(d[0], d[1]);
            long kept = (long) Math.ceil(d[0] / (double) f) * (long) Math.ceil(d[1] / (double) f);
            assertTrue(kept <= 500_000, d[0] + "x" + d[1] + " step " + f + " keeps " + kept);
            if (f > 1) {
                long finer = (long) Math.ceil(d[0] / (f - 1.0)) * (long) Math.ceil(d[1] / (f - 1.0));
                assertTrue(finer > 500_000, "step " + f + " is the smallest that fits");
            }
        }
    }

    @Test
    void aLargeLegalImageIsDecodedSubsampledAndStillResizesToTheSameResult() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(HostileImages.gradient(3000, 2000), "png", png);
        byte[] bytes = png.toByteArray();
        DecodeLimits budget = new DecodeLimits(DecodeLimits.PIL_MAX_IMAGE_PIXELS, 500_000);
        RgbImage decoded = ImageDecoder.decode(bytes, budget);
        assertEquals(750, decoded.width());
        assertEquals(500, decoded.height());

        RgbImage full = ImagePreprocessor.resizeAndCrop(ImageDecoder.decode(bytes,
                new DecodeLimits(DecodeLimits.PIL_MAX_IMAGE_PIXELS, 10_000_000)), 64);
        RgbImage sub = ImagePreprocessor.resizeAndCrop(decoded, 64);
        double sumAbs = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 64 * 64; i++) {
                sumAbs += Math.abs(full.planes()[c][i] - sub.planes()[c][i]);
            }
        }
        double meanAbs = sumAbs / (3 * 64 * 64);
        assertTrue(meanAbs < 1.0, "subsampled decode changes the 64x64 result by " + meanAbs + " levels on average");
    }
}
