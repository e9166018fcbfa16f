package org.carotspark.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTransformsTest {

    /** Written by tests/python/clip_reference.py with Pillow. */
    private static Path pillowReference() throws Exception {
        URL url = ClipTransformsTest.class.getResource("/pillow-reference/cases.json");
        assertTrue(url != null, "test resource pillow-reference/cases.json missing");
        return Paths.get(url.toURI()).getParent();
    }

    private static RgbImage png(Path file) throws Exception {
        return ImageDecoder.decode(Files.readAllBytes(file));
    }

    @Test
    void bicubicMatchesPillowOnEveryReferenceImage() throws Exception {
        Path dir = pillowReference();
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("cases.json").toFile()).get("cases");
        assertEquals(4, cases.size());
        for (JsonNode c : cases) {
            RgbImage expected = png(dir.resolve(c.get("resized").asText()));
            RgbImage actual = BicubicResampler.resize(png(dir.resolve(c.get("source").asText())),
                    c.get("resized_width").asInt(), c.get("resized_height").asInt());
            int maxDiff = 0;
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < expected.planes()[ch].length; i++) {
                    maxDiff = Math.max(maxDiff, (int) Math.abs(expected.planes()[ch][i] - actual.planes()[ch][i]));
                }
            }
            // Measured: 0 on all four (exact); before the fixed-point, clamped two-pass form: 3, 10, 14, 3.
            assertTrue(maxDiff <= 1, c.get("resized").asText() + ": max |Java - Pillow| = " + maxDiff);
            assertEquals(c.get("resized_width").asInt(),
                    ImagePreprocessor.resizedDims(png(dir.resolve(c.get("source").asText())).width(),
                            png(dir.resolve(c.get("source").asText())).height(), c.get("size").asInt())[0]);
        }
    }

    @Test
    void evalTransformIsPillowsResizeAndCentreCropNormalised() throws Exception {
        Path dir = pillowReference();
        JsonNode cases = new ObjectMapper().readTree(dir.resolve("cases.json").toFile()).get("cases");
        for (JsonNode c : cases) {
            int s = c.get("size").asInt();
            RgbImage crop = png(dir.resolve(c.get("resized").asText()))
                    .crop(c.get("crop_left").asInt(), c.get("crop_top").asInt(), s, s);
            float[] expected = ClipNormalization.toChw(crop);
            float[] actual = new ClipEvalTransform(s).apply(Files.readAllBytes(dir.resolve(c.get("source").asText())));
            assertEquals(3 * s * s, actual.length);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            }
            // One 8-bit step is 1/255/std ≈ 0.0146 after normalisation.
            assertTrue(worst <= 1 / 255.0 / 0.2613 + 1e-6, c.get("source").asText() + ": " + worst);
        }
    }

    @Test
    void normalisationIsToTensorThenClipMeanStd() {
        RgbImage img = new RgbImage(2, 1);
        img.set(0, 0, 0, 255f);
        img.set(1, 0, 0, 0f);
        img.set(2, 0, 0, 127.6f); // rounds to 128 like a PIL byte
        float[] chw = ClipNormalization.toChw(img);
        assertEquals((1 - 0.48145466) / 0.26862954, chw[0], 1e-6);
        assertEquals((0 - 0.4578275) / 0.26130258, chw[2], 1e-6);
        assertEquals((128 / 255.0 - 0.40821073) / 0.27577711, chw[4], 1e-6);
    }

    private static RgbImage noise(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        RgbImage img = new RgbImage(w, h);
        for (float[] p : img.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextInt(256);
            }
        }
        return img;
    }

    @Test
    void trainTransformIsDeterministicPerSeedImageAndEpoch() {
        RgbImage img = noise(64, 48, 1);
        ClipTrainTransform t = new ClipTrainTransform(32, 7);
        float[] a = t.apply(img, "imagenet-train/n01440764/x.JPEG", 3);
        assertArrayEquals(a, new ClipTrainTransform(32, 7).apply(img, "imagenet-train/n01440764/x.JPEG", 3));
        assertEquals(3 * 32 * 32, a.length);
        // For a 4:3 image torchvision's sampler often finds no crop of >= 90 % area inside the image within ten
        // tries and falls back to the whole image, so not every pair of crops differs; the streams always do.
        int differentEpoch = 0;
        int differentSeed = 0;
        for (int i = 0; i < 200; i++) {
            String id = "img-" + i;
            assertNotEquals(t.random(id, 0).nextLong(), t.random(id, 1).nextLong());
            assertNotEquals(t.random(id, 0).nextLong(), new ClipTrainTransform(32, 8).random(id, 0).nextLong());
            if (!t.cropBox(640, 480, id, 0).equals(t.cropBox(640, 480, id, 1))) {
                differentEpoch++;
            }
            if (!t.cropBox(640, 480, id, 0).equals(new ClipTrainTransform(32, 8).cropBox(640, 480, id, 0))) {
                differentSeed++;
            }
        }
        assertTrue(differentEpoch >= 100 && differentSeed >= 100, differentEpoch + " / " + differentSeed);
    }

    @Test
    void cropsStayWithinTheScaleAndRatioRanges() {
        ClipTrainTransform t = new ClipTrainTransform(224, 11);
        // (No image here is so elongated that torchvision's fallback box breaks the ranges; 97x61 is.)
        for (int[] size : new int[][]{{640, 480}, {500, 500}, {224, 300}, {61, 72}, {1024, 1000}}) {
            int width = size[0];
            int height = size[1];
            double area = (double) width * height;
            for (int i = 0; i < 500; i++) {
                ClipTrainTransform.CropBox b = t.cropBox(width, height, "id" + i, i % 10);
                assertTrue(b.left() >= 0 && b.top() >= 0 && b.left() + b.width() <= width
                        && b.top() + b.height() <= height, b + " inside " + width + "x" + height);
                double w = b.width();
                double h = b.height();
                // Rounding w and h to whole pixels moves area and ratio by at most half a pixel per side.
                double areaSlack = (w + h) / 2 + 0.25;
                assertTrue(w * h >= 0.9 * area - areaSlack && w * h <= area, b + " area " + w * h / area);
                assertTrue((w - 0.5) / (h + 0.5) <= 4.0 / 3 && (w + 0.5) / (h - 0.5) >= 3.0 / 4, b + " ratio " + w / h);
            }
        }
        // 97x61 (ratio 1.59) admits no crop of >= 90 % area within 4/3: always the centre fallback.
        for (int i = 0; i < 50; i++) {
            assertEquals(new ClipTrainTransform.CropBox(8, 0, 81, 61), t.cropBox(97, 61, "id" + i, 0));
        }
    }

    /** Hands out scripted values: the doubles to nextDouble(), then records the bounds asked of nextInt. */
    private static final class Scripted implements RandomGenerator {
        final Deque<Double> doubles = new ArrayDeque<>();
        final List<Integer> intBounds = new java.util.ArrayList<>();

        Scripted(double... values) {
            for (double v : values) {
                doubles.add(v);
            }
        }

        @Override
        public double nextDouble() {
            return doubles.remove();
        }

        @Override
        public int nextInt(int bound) {
            intBounds.add(bound);
            return bound - 1;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void cropSamplingFollowsTorchvisionsAlgorithm() {
        // 320x240, area 76800. Try 1: scale 0.95, ratio 1 -> 270x270, too tall. Try 2: scale 0.9, ratio 3/4
        // -> 228x304, too tall. Try 3: scale 0.9, ratio ~4/3 -> w = round(sqrt(69120*4/3)) = 304, h = 228: fits;
        // then top = randint(0, 240-228), left = randint(0, 320-304) (here: the largest values).
        Scripted rng = new Scripted(0.5, 0.5, 0.0, 0.0, 0.0, 1.0 - 1e-12);
        ClipTrainTransform.CropBox b = ClipTrainTransform.sampleCrop(320, 240, 0.9, 1.0, 3.0 / 4, 4.0 / 3, rng);
        assertEquals(new ClipTrainTransform.CropBox(16, 12, 304, 228), b);
        assertEquals(List.of(13, 17), rng.intBounds);
        // Ten failed tries: the centre crop at the clamped ratio (1000x10 is wider than 4/3: h = 10, w = round(13.3)).
        double[] fail = new double[20];
        Arrays.fill(fail, 0.5);
        assertEquals(new ClipTrainTransform.CropBox(493, 0, 13, 10),
                ClipTrainTransform.sampleCrop(1000, 10, 0.9, 1.0, 3.0 / 4, 4.0 / 3, new Scripted(fail)));
        assertEquals(new ClipTrainTransform.CropBox(0, 493, 10, 13),
                ClipTrainTransform.sampleCrop(10, 1000, 0.9, 1.0, 3.0 / 4, 4.0 / 3, new Scripted(fail)));
    }

    @Test
    void aFullImageCropNormalisesExactlyLikeTheEvalTransform() {
        RgbImage square = noise(50, 50, 2);
        ClipTrainTransform whole = new ClipTrainTransform(32, 5, 1.0, 1.0, 1.0, 1.0);
        assertEquals(new ClipTrainTransform.CropBox(0, 0, 50, 50), whole.cropBox(50, 50, "a", 0));
        assertArrayEquals(new ClipEvalTransform(32).apply(square), whole.apply(square, "a", 0));
        assertFalse(Arrays.equals(new ClipEvalTransform(32).apply(square),
                new ClipTrainTransform(32, 5).apply(square, "a", 0)), "a real random crop differs");
        assertNotEquals(0, new ClipTrainTransform(32, 5).apply(square, "a", 0).length);
    }
}
