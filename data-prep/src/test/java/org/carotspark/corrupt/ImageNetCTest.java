package org.carotspark.corrupt;

import org.carotspark.image.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNetCTest {

    private static final int DRAWS = 4;
    private static RgbImage photo224;

    /** A deterministic photo-like test image: smooth gradients, edges, a textured disk. */
    static RgbImage photo(int w, int h) {
        RgbImage img = new RgbImage(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x / (double) w;
                double v = y / (double) h;
                boolean disk = Math.hypot(u - 0.55, v - 0.45) < 0.28;
                boolean bar = u > 0.1 && u < 0.3 && v > 0.55;
                double texture = 20 * Math.sin(x * 0.9) * Math.cos(y * 0.7);
                img.set(0, x, y, (float) (disk ? 200 + texture : bar ? 30 : 60 + 120 * u));
                img.set(1, x, y, (float) (disk ? 120 + texture : bar ? 160 : 90 + 80 * v));
                img.set(2, x, y, (float) (disk ? 40 : bar ? 60 : 150 - 60 * u));
            }
        }
        return img;
    }

    @BeforeAll
    static void image() {
        photo224 = photo(224, 224);
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        double d = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.planes()[c].length; i++) {
                d += Math.abs(a.planes()[c][i] - b.planes()[c][i]);
            }
        }
        return d / (3.0 * a.width() * a.height());
    }

    static double correlation(RgbImage a, RgbImage b) {
        int n = 3 * a.width() * a.height();
        double ma = 0;
        double mb = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.planes()[c].length; i++) {
                ma += a.planes()[c][i];
                mb += b.planes()[c][i];
            }
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < a.planes()[c].length; i++) {
                double da = a.planes()[c][i] - ma;
                double db = b.planes()[c][i] - mb;
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void parametersAreThePublishedOnes() {
        assertArrayEquals(new double[] {.08, .12, 0.18, 0.26, 0.38}, PublishedParameters.GAUSSIAN_NOISE);
        assertArrayEquals(new double[] {60, 25, 12, 5, 3}, PublishedParameters.SHOT_NOISE);
        assertArrayEquals(new double[] {.03, .06, .09, 0.17, 0.27}, PublishedParameters.IMPULSE_NOISE);
        assertTrue(Arrays.deepEquals(new double[][] {{3, 0.1}, {4, 0.5}, {6, 0.5}, {8, 0.5}, {10, 0.5}},
                PublishedParameters.DEFOCUS_BLUR));
        assertTrue(Arrays.deepEquals(new double[][] {{0.7, 1, 2}, {0.9, 2, 1}, {1, 2, 3}, {1.1, 3, 2}, {1.5, 4, 2}},
                PublishedParameters.GLASS_BLUR));
        assertTrue(Arrays.deepEquals(new double[][] {{10, 3}, {15, 5}, {15, 8}, {15, 12}, {20, 15}},
                PublishedParameters.MOTION_BLUR));
        assertTrue(Arrays.deepEquals(new double[][] {{0.1, 0.3, 3, 0.5, 10, 4, 0.8}, {0.2, 0.3, 2, 0.5, 12, 4, 0.7},
                {0.55, 0.3, 4, 0.9, 12, 8, 0.7}, {0.55, 0.3, 4.5, 0.85, 12, 8, 0.65},
                {0.55, 0.3, 2.5, 0.85, 12, 12, 0.55}}, PublishedParameters.SNOW));
        assertTrue(Arrays.deepEquals(new double[][] {{1, 0.4}, {0.8, 0.6}, {0.7, 0.7}, {0.65, 0.7}, {0.6, 0.75}},
                PublishedParameters.FROST));
        assertTrue(Arrays.deepEquals(new double[][] {{1.5, 2}, {2., 2}, {2.5, 1.7}, {2.5, 1.5}, {3., 1.4}},
                PublishedParameters.FOG));
        assertArrayEquals(new double[] {.1, .2, .3, .4, .5}, PublishedParameters.BRIGHTNESS);
        assertArrayEquals(new double[] {0.4, .3, .2, .1, .05}, PublishedParameters.CONTRAST);
        assertTrue(Arrays.deepEquals(new double[][] {{488, 170.8, 24.4}, {488, 19.52, 48.8}, {12.2, 2.44, 4.88},
                {17.08, 2.44, 4.88}, {29.28, 2.44, 4.88}}, round(PublishedParameters.ELASTIC_TRANSFORM)));
        assertArrayEquals(new double[] {0.6, 0.5, 0.4, 0.3, 0.25}, PublishedParameters.PIXELATE);
        assertArrayEquals(new int[] {25, 18, 15, 10, 7}, PublishedParameters.JPEG_QUALITY);
        // numpy arange(1, 1.11, .01) has 12 values (float length rule), arange(1, 1.16, .01) 16, ...
        int[] lengths = {12, 16, 11, 13, 11};
        double[] last = {1.11, 1.15, 1.20, 1.24, 1.30};
        for (int s = 1; s <= 5; s++) {
            double[] z = PublishedParameters.zoomFactors(s);
            assertEquals(lengths[s - 1], z.length, "severity " + s);
            assertEquals(1.0, z[0], 0.0);
            assertEquals(last[s - 1], z[z.length - 1], 1e-9);
        }
    }

    private static double[][] round(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = Arrays.stream(a[i]).map(v -> Math.round(v * 1e6) / 1e6).toArray();
        }
        return r;
    }

    @Test
    void deterministicPerImageIdCorruptionAndSeverity() {
        Set<Corruption> random = EnumSet.complementOf(EnumSet.of(Corruption.DEFOCUS_BLUR, Corruption.ZOOM_BLUR,
                Corruption.BRIGHTNESS, Corruption.CONTRAST, Corruption.PIXELATE, Corruption.JPEG_COMPRESSION));
        RgbImage small = photo(48, 40);
        for (Corruption c : Corruption.values()) {
            long seed = ImageNetC.seedFor(7, "imagenet/n01/a.JPEG", c, 3);
            RgbImage a = ImageNetC.apply(small, c, 3, seed);
            RgbImage b = ImageNetC.apply(small, c, 3, seed);
            for (int ch = 0; ch < 3; ch++) {
                assertArrayEquals(a.planes()[ch], b.planes()[ch], c + " is deterministic");
            }
            assertEquals(48, a.width());
            assertEquals(40, a.height());
            if (random.contains(c)) {
                RgbImage other = ImageNetC.apply(small, c, 3, ImageNetC.seedFor(7, "imagenet/n01/b.JPEG", c, 3));
                assertTrue(meanAbsDiff(a, other) > 0, c + " draws a new stream for another image");
            }
        }
        long base = ImageNetC.seedFor(7, "x", Corruption.FOG, 2);
        assertNotEquals(base, ImageNetC.seedFor(8, "x", Corruption.FOG, 2));
        assertNotEquals(base, ImageNetC.seedFor(7, "y", Corruption.FOG, 2));
        assertNotEquals(base, ImageNetC.seedFor(7, "x", Corruption.SNOW, 2));
        assertNotEquals(base, ImageNetC.seedFor(7, "x", Corruption.FOG, 3));
    }

    @Test
    void everyCorruptionChangesTheImageMoreAtHigherSeverity() {
        List<String> notMonotone = new ArrayList<>();
        List<String> weak = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (Corruption c : Corruption.values()) {
            double[] d = new double[5];
            for (int s = 1; s <= 5; s++) {
                // Averaged over a few images' random streams: one draw (a frost texture, a snow angle) is noisy.
                for (int draw = 0; draw < DRAWS; draw++) {
                    RgbImage out = ImageNetC.apply(photo224, c, s, ImageNetC.seedFor(1, "photo-" + draw, c, s));
                    for (float[] p : out.planes()) {
                        for (float v : p) {
                            assertTrue(v >= 0 && v <= 255, c + " stays in 0..255");
                        }
                    }
                    // Frost trades image for texture (c0·x + c1·frost, c0 falling as c1 rises), so its strength
                    // is the signal lost (1 − correlation with the clean image), not how far pixels moved.
                    d[s - 1] += (c == Corruption.FROST ? 100 * (1 - correlation(photo224, out))
                            : meanAbsDiff(photo224, out)) / DRAWS;
                }
            }
            table.append(String.format("%-18s %s%n", c.configName(), Arrays.toString(
                    Arrays.stream(d).map(v -> Math.round(v * 10) / 10.0).toArray())));
            if (d[0] <= 0.3 || d[4] <= d[0]) {
                weak.add(c.configName());
            }
            for (int s = 1; s < 5; s++) {
                // Neighbouring severities with near-equal parameters (snow 2/3, fog 4/5) may tie within 5 %.
                if (d[s] < 0.95 * d[s - 1]) {
                    notMonotone.add(c.configName());
                    break;
                }
            }
        }
        System.err.println("mean |corrupted - clean| per severity (0..255 scale; frost: 100·(1 − correlation)):\n"
                + table);
        // Elastic's published parameters are not ordered by strength: severities 1-2 are large affine
        // warps (jitter 24 and 49 px), 3-5 small warps with local jitter, so its severity 5 moves less than 1.
        assertEquals(List.of("elastic_transform"), weak, "changed too little at severity 1, or no more at 5 than"
                + " at 1\n" + table);
        assertTrue(notMonotone.size() <= 2 && notMonotone.contains("elastic_transform"),
                "rising over severities for all but a few: " + notMonotone + "\n" + table);
    }
}
