package org.carotspark.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePreprocessorTest {

    private static RgbImage constant(int w, int h, float r, float g, float b) {
        RgbImage img = new RgbImage(w, h);
        Arrays.fill(img.planes()[0], r);
        Arrays.fill(img.planes()[1], g);
        Arrays.fill(img.planes()[2], b);
        return img;
    }

    @Test
    void constantImageStaysConstantWhenShrinkingAndGrowing() {
        RgbImage img = constant(97, 61, 12f, 200f, 77f);
        for (int[] size : new int[][]{{32, 20}, {224, 141}, {97, 61}, {13, 200}}) {
            RgbImage out = BicubicResampler.resize(img, size[0], size[1]);
            assertEquals(size[0], out.width());
            assertEquals(size[1], out.height());
            for (int i = 0; i < out.width() * out.height(); i++) {
                assertEquals(12f, out.planes()[0][i], 1e-3);
                assertEquals(200f, out.planes()[1][i], 1e-3);
                assertEquals(77f, out.planes()[2][i], 1e-3);
            }
        }
    }

    @Test
    void horizontalRampStaysLinearInTheInterior() {
        int inW = 200;
        int h = 8;
        RgbImage ramp = new RgbImage(inW, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < inW; x++) {
                for (int c = 0; c < 3; c++) {
                    ramp.set(c, x, y, x);
                }
            }
        }
        // Shrink by 2 (integer), by 2.6 (non-integer) and enlarge by 1.7.
        for (int outW : new int[]{100, 77, 340}) {
            RgbImage out = BicubicResampler.resize(ramp, outW, h);
            double scale = (double) inW / outW;
            double support = 2 * Math.max(scale, 1);
            int checked = 0;
            for (int i = 0; i < outW; i++) {
                double center = (i + 0.5) * scale;
                if (center - support < 0 || center + support > inW) {
                    continue; // taps cut off by the border: not a linear-ramp region any more
                }
                double expected = center - 0.5; // value of the continuous ramp at that pixel centre
                for (int y = 0; y < h; y++) {
                    // Outputs are 8-bit like Pillow's: the continuous value, rounded.
                    assertEquals(expected, out.get(0, i, y), 0.5 + 1e-3, "outW=" + outW + " x=" + i);
                }
                checked++;
            }
            assertTrue(checked > outW / 2, "most pixels are interior");
        }
    }

    @Test
    void resizedDimsFollowTorchvision() {
        assertArrayEquals(new int[]{50, 32}, ImagePreprocessor.resizedDims(100, 64, 32));
        assertArrayEquals(new int[]{32, 50}, ImagePreprocessor.resizedDims(64, 100, 32));
        assertArrayEquals(new int[]{356, 224}, ImagePreprocessor.resizedDims(97, 61, 224)); // 356.19 → 356
        assertArrayEquals(new int[]{224, 224}, ImagePreprocessor.resizedDims(80, 80, 224));
    }

    @Test
    void cropOffsetsRoundHalfToEvenLikePython() {
        assertEquals(0, ImagePreprocessor.cropOffset(224, 224));
        assertEquals(0, ImagePreprocessor.cropOffset(225, 224)); // 0.5 → 0
        assertEquals(1, ImagePreprocessor.cropOffset(226, 224));
        assertEquals(2, ImagePreprocessor.cropOffset(227, 224)); // 1.5 → 2
        assertEquals(2, ImagePreprocessor.cropOffset(229, 224)); // 2.5 → 2
        assertEquals(4, ImagePreprocessor.cropOffset(231, 224)); // 3.5 → 4
    }

    @Test
    void centerCropTakesTheMiddleColumns() {
        RgbImage img = new RgbImage(7, 3);
        for (int x = 0; x < 7; x++) {
            for (int y = 0; y < 3; y++) {
                img.set(0, x, y, x);
            }
        }
        RgbImage crop = ImagePreprocessor.centerCrop(img, 3);
        assertEquals(3, crop.width());
        assertEquals(2f, crop.get(0, 0, 1)); // offset round(2.0) = 2
        assertEquals(4f, crop.get(0, 2, 1));
    }

    @Test
    void processOutputsSquareJpegOfConfiguredSize() throws Exception {
        BufferedImage bi = new BufferedImage(97, 61, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 61; y++) {
            for (int x = 0; x < 97; x++) {
                bi.setRGB(x, y, (x * 2) << 16 | (y * 3) << 8 | 90);
            }
        }
        byte[] jpeg = ImagePreprocessor.encodeJpeg(bi, 90);
        byte[] out = new ImagePreprocessor(48, 95).process(jpeg);
        BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(out));
        assertEquals(48, decoded.getWidth());
        assertEquals(48, decoded.getHeight());
        assertEquals(0xFF, out[0] & 0xFF);
        assertEquals(0xD8, out[1] & 0xFF);
    }

    @Test
    void greyJpegIsReplicatedWithoutGammaShift() throws Exception {
        BufferedImage grey = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        RgbImage rgb = ImageDecoder.decode(png.toByteArray());
        assertEquals(100f, rgb.get(0, 5, 5));
        assertEquals(100f, rgb.get(1, 5, 5));
        assertEquals(100f, rgb.get(2, 5, 5));
    }

    @Test
    void pngWithAlphaDecodes() throws Exception {
        BufferedImage argb = new BufferedImage(9, 9, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(4, 4, 0x80FF0000);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(argb, "png", png);
        RgbImage rgb = ImageDecoder.decode(png.toByteArray());
        assertEquals(255f, rgb.get(0, 4, 4));
        assertEquals(0f, rgb.get(1, 4, 4));
    }

    @Test
    void textAndTruncatedJpegAreRejected() {
        ImageDecodeException text = assertThrows(ImageDecodeException.class,
                () -> ImageDecoder.decode("hello, not an image".getBytes(StandardCharsets.UTF_8)));
        assertTrue(text.getMessage().startsWith("not an image"), text.getMessage());
        BufferedImage bi = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            bi.setRGB(i, i, 0xFFFFFF);
        }
        byte[] jpeg = ImagePreprocessor.encodeJpeg(bi, 90);
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(truncated));
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0]));
    }

    @Test
    void objectNetsBorderIsCroppedBeforeResizing() throws Exception {
        // A 40x40 blue image with a 2-pixel red frame, as ObjectNet's bordered images.
        RgbImage framed = new RgbImage(40, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                boolean border = x < 2 || y < 2 || x >= 38 || y >= 38;
                framed.set(0, x, y, border ? 255 : 0);
                framed.set(2, x, y, border ? 0 : 255);
            }
        }
        byte[] png = pngOf(framed);
        RgbImage cropped = ImageDecoder.decode(new ImagePreprocessor(16, 100).withBorderCrop(2).process(png));
        RgbImage kept = ImageDecoder.decode(new ImagePreprocessor(16, 100).process(png));
        float maxRedCropped = 0;
        for (float v : cropped.planes()[0]) {
            maxRedCropped = Math.max(maxRedCropped, v);
        }
        assertTrue(maxRedCropped < 40, "no border left: max red " + maxRedCropped);
        assertTrue(kept.get(0, 0, 0) > 60, "without the crop the border shows: " + kept.get(0, 0, 0));
        assertEquals(36, ImagePreprocessor.cropBorder(framed, 2).width());
        assertEquals(3, ImagePreprocessor.cropBorder(new RgbImage(3, 3), 2).width(), "too small to crop: unchanged");
    }

    /** Training images keep their aspect up to 2:1 (the centre of longer ones), shorter side S, for the random crop. */
    @Test
    void keepingAspectStoresTheShorterSideAndAtMostTwiceItAroundTheCentre() throws Exception {
        ImagePreprocessor train = new ImagePreprocessor(40, 100).keepingAspect();
        RgbImage wide = ImageDecoder.decode(train.process(pngOf(constant(90, 60, 10f, 20f, 30f))));
        assertEquals(60, wide.width());
        assertEquals(40, wide.height());
        // 1:4, its top and bottom quarters red: only the centre 1:2 (rows 25-74) is kept, which is blue.
        RgbImage tall = new RgbImage(25, 100);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 25; x++) {
                boolean outer = y < 25 || y >= 75;
                tall.set(0, x, y, outer ? 255 : 0);
                tall.set(2, x, y, outer ? 0 : 255);
            }
        }
        RgbImage kept = ImageDecoder.decode(train.process(pngOf(tall)));
        assertEquals(40, kept.width());
        assertEquals(80, kept.height());
        float maxRed = 0;
        for (float v : kept.planes()[0]) {
            maxRed = Math.max(maxRed, v);
        }
        assertTrue(maxRed < 40, "only the centre 1:2 is kept: max red " + maxRed);
        RgbImage square = ImageDecoder.decode(new ImagePreprocessor(40, 100).process(pngOf(tall)));
        assertEquals(40, square.width());
        assertEquals(40, square.height());
    }

    private static byte[] pngOf(RgbImage img) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img.toBufferedImage(), "png", out);
        return out.toByteArray();
    }
}
