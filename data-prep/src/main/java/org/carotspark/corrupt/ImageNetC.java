package org.carotspark.corrupt;

import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.image.RgbImage;
import org.carotspark.seed.Seeds;

import java.util.SplittableRandom;

/**
 * The 15 ImageNet-C corruptions at severities 1–5, as plain Java image operations following the
 * published generation code of Hendrycks &amp; Dietterich (2019) with its per-severity parameters
 * ({@link PublishedParameters}); our own implementation and random streams. On a 224 × 224 image
 * (the published setting) the parameters are used as published. On another size s every length is
 * scaled by s/224 (blur radii and σ, shuffle distance, motion radius, affine jitter; the elastic
 * displacement scale by (s/224)², which keeps the displacement field's shape relative to the image),
 * and the procedural layers (snow, fog, frost) are made at 224 and resampled, so a corruption looks
 * the same relative to the image at any size. Frost uses {@link FrostTexture}'s generated textures.
 *
 * <p>Every random draw comes from a stream seeded by (seed, image id, corruption, severity)
 * ({@link #seedFor}, the project's {@link Seeds}), so a corrupted image depends on nothing else: not on the order, partition or
 * JVM it is made in.
 */
public final class ImageNetC {

    private static final int REF = PublishedParameters.REFERENCE_SIZE;
    /** Luma weights of OpenCV's RGB2GRAY. */
    private static final double[] LUMA = {0.299, 0.587, 0.114};

    private ImageNetC() {
    }

    /** The stream seed of one (image, corruption, severity) under {@code seed}. */
    public static long seedFor(long seed, String imageId, Corruption corruption, int severity) {
        return Seeds.derive(seed, "imagenet-c", imageId, corruption.ordinal(), severity);
    }

    /** Corrupts {@code image} (values 0..255) at {@code severity} 1..5 with the random stream {@code streamSeed}. */
    public static RgbImage apply(RgbImage image, Corruption corruption, int severity, long streamSeed) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be 1..5, got " + severity);
        }
        int s = severity - 1;
        SplittableRandom rnd = new SplittableRandom(streamSeed);
        UnitImage x = UnitImage.of(image);
        double scale = Math.min(x.width, x.height) / (double) REF;
        UnitImage out = switch (corruption) {
            case GAUSSIAN_NOISE -> perValue(x, v -> v + rnd.nextGaussian() * PublishedParameters.GAUSSIAN_NOISE[s]);
            case SHOT_NOISE -> perValue(x, v -> poisson(rnd, v * PublishedParameters.SHOT_NOISE[s])
                    / PublishedParameters.SHOT_NOISE[s]);
            case IMPULSE_NOISE -> perValue(x, v -> rnd.nextDouble() < PublishedParameters.IMPULSE_NOISE[s]
                    ? (rnd.nextBoolean() ? 1 : 0) : v);
            case DEFOCUS_BLUR -> defocus(x, PublishedParameters.DEFOCUS_BLUR[s][0] * scale,
                    PublishedParameters.DEFOCUS_BLUR[s][1] * scale);
            case GLASS_BLUR -> glass(x, PublishedParameters.GLASS_BLUR[s], scale, rnd);
            case MOTION_BLUR -> Filters.motionBlur(x, PublishedParameters.MOTION_BLUR[s][0] * scale,
                    PublishedParameters.MOTION_BLUR[s][1] * scale, rnd.nextDouble(-45, 45));
            case ZOOM_BLUR -> zoom(x, PublishedParameters.zoomFactors(severity));
            case SNOW -> snow(x, PublishedParameters.SNOW[s], rnd);
            case FROST -> frost(x, PublishedParameters.FROST[s], rnd);
            case FOG -> fog(x, PublishedParameters.FOG[s], rnd);
            case BRIGHTNESS -> brightness(x, PublishedParameters.BRIGHTNESS[s]);
            case CONTRAST -> contrast(x, PublishedParameters.CONTRAST[s]);
            case ELASTIC_TRANSFORM -> elastic(x, PublishedParameters.ELASTIC_TRANSFORM[s], scale, rnd);
            case PIXELATE -> pixelate(x, PublishedParameters.PIXELATE[s]);
            case JPEG_COMPRESSION -> UnitImage.of(jpeg(image, PublishedParameters.JPEG_QUALITY[s]));
        };
        return out.toRgb();
    }

    private interface ValueOp {
        double apply(double v);
    }

    private static UnitImage perValue(UnitImage x, ValueOp op) {
        UnitImage out = new UnitImage(x.width, x.height, x.channels());
        for (int i = 0; i < x.width * x.height; i++) {
            for (int c = 0; c < x.channels(); c++) {
                out.planes[c][i] = (float) op.apply(x.planes[c][i]);
            }
        }
        return out;
    }

    /** Poisson(λ) by inversion of the cumulative distribution (λ ≤ 60 here). */
    static int poisson(SplittableRandom rnd, double lambda) {
        double u = rnd.nextDouble();
        double p = Math.exp(-lambda);
        double cumulative = p;
        int k = 0;
        while (u > cumulative && k < 10_000) {
            k++;
            p *= lambda / k;
            cumulative += p;
        }
        return k;
    }

    /** An aliased disk (L = −8..8 up to radius 8, else −r..r), normalised, then Gaussian-smoothed (3×3 or 5×5). */
    private static UnitImage defocus(UnitImage x, double radius, double aliasBlur) {
        int half = radius <= 8 ? 8 : (int) Math.ceil(radius);
        int size = 2 * half + 1;
        UnitImage disk = new UnitImage(size, size, 1);
        double sum = 0;
        for (int dy = -half; dy <= half; dy++) {
            for (int dx = -half; dx <= half; dx++) {
                boolean in = dx * dx + dy * dy <= radius * radius;
                disk.planes[0][(dy + half) * size + dx + half] = in ? 1 : 0;
                sum += in ? 1 : 0;
            }
        }
        for (int i = 0; i < disk.planes[0].length; i++) {
            disk.planes[0][i] /= (float) sum;
        }
        int ksize = radius <= 8 ? 3 : 5;
        double[] g = openCvGaussian(ksize, aliasBlur);
        UnitImage smooth = Filters.separable(disk, g, g, Filters.Border.REFLECT_101);
        double[][] kernel = new double[size][size];
        for (int i = 0; i < size * size; i++) {
            kernel[i / size][i % size] = smooth.planes[0][i];
        }
        return Filters.filter2d(x, kernel);
    }

    /** OpenCV's fixed-size Gaussian kernel: exp(−(i − (k−1)/2)² / 2σ²), normalised. */
    private static double[] openCvGaussian(int ksize, double sigma) {
        double[] k = new double[ksize];
        double sum = 0;
        for (int i = 0; i < ksize; i++) {
            double d = i - (ksize - 1) / 2.0;
            k[i] = sigma > 0 ? Math.exp(-d * d / (2 * sigma * sigma)) : (d == 0 ? 1 : 0);
            sum += k[i];
        }
        for (int i = 0; i < ksize; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /**
     * Gaussian blur, 8-bit quantisation, local pixel shuffles within ±delta, Gaussian blur again. The
     * published "swap" ({@code x[h, w], x[h', w'] = x[h', w'], x[h, w]} on numpy views) copies the
     * neighbour's pixel into (h, w) and leaves the neighbour as it was; that is what is done here.
     */
    private static UnitImage glass(UnitImage x, double[] c, double scale, SplittableRandom rnd) {
        double sigma = c[0] * scale;
        int delta = Math.max(1, (int) Math.round(c[1] * scale));
        int iterations = (int) c[2];
        UnitImage y = Filters.gaussian(x, sigma, 4, Filters.Border.NEAREST);
        for (float[] p : y.planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) Math.floor(UnitImage.clip(p[i]) * 255) / 255f;
            }
        }
        int w = y.width;
        int h = y.height;
        for (int it = 0; it < iterations; it++) {
            for (int row = h - delta; row > delta; row--) {
                for (int col = w - delta; col > delta; col--) {
                    int dx = rnd.nextInt(-delta, delta);
                    int dy = rnd.nextInt(-delta, delta);
                    int a = row * w + col;
                    int b = (row + dy) * w + col + dx;
                    for (float[] p : y.planes) {
                        p[a] = p[b];
                    }
                }
            }
        }
        return Filters.gaussian(y, sigma, 4, Filters.Border.NEAREST);
    }

    /** The mean of the image and its clipped zooms by every factor. */
    private static UnitImage zoom(UnitImage x, double[] factors) {
        UnitImage acc = x.copy();
        for (double z : factors) {
            UnitImage zoomed = Filters.clippedZoom(x, z);
            for (int c = 0; c < acc.channels(); c++) {
                for (int i = 0; i < acc.planes[c].length; i++) {
                    acc.planes[c][i] += zoomed.planes[c][i];
                }
            }
        }
        for (float[] p : acc.planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] /= factors.length + 1;
            }
        }
        return acc;
    }

    /**
     * A snow layer (Gaussian noise zoomed, thresholded, 8-bit, motion-blurred at an angle in
     * [−135°, −45°)) made at the reference size; the image is lightened towards max(x, 1.5·gray + 0.5)
     * and the layer and its 180° rotation are added.
     */
    private static UnitImage snow(UnitImage x, double[] c, SplittableRandom rnd) {
        UnitImage layer = new UnitImage(REF, REF, 1);
        for (int i = 0; i < REF * REF; i++) {
            layer.planes[0][i] = (float) (c[0] + c[1] * rnd.nextGaussian());
        }
        layer = Filters.clippedZoom(layer, c[2]);
        float[] l = layer.planes[0];
        for (int i = 0; i < l.length; i++) {
            float v = l[i] < c[3] ? 0 : l[i];
            l[i] = (float) Math.floor(UnitImage.clip(v) * 255) / 255f;
        }
        layer = Filters.motionBlur(layer, c[4], c[5], rnd.nextDouble(-135, -45));
        layer = Filters.resample(layer, x.width, x.height);
        float[] snow = layer.planes[0];
        int n = x.width * x.height;
        UnitImage out = new UnitImage(x.width, x.height, 3);
        for (int i = 0; i < n; i++) {
            double gray = LUMA[0] * x.planes[0][i] + LUMA[1] * x.planes[1][i] + LUMA[2] * x.planes[2][i];
            double flake = snow[i] + snow[n - 1 - i];
            for (int ch = 0; ch < 3; ch++) {
                double v = x.planes[ch][i];
                double lit = c[6] * v + (1 - c[6]) * Math.max(v, gray * 1.5 + 0.5);
                out.planes[ch][i] = (float) (lit + flake);
            }
        }
        return out;
    }

    /** c0·x + c1·frost, the frost a random reference-size crop of one of the textures. */
    private static UnitImage frost(UnitImage x, double[] c, SplittableRandom rnd) {
        UnitImage texture = FrostTexture.get(rnd.nextInt(FrostTexture.COUNT));
        int top = rnd.nextInt(FrostTexture.SIZE - REF);
        int left = rnd.nextInt(FrostTexture.SIZE - REF);
        UnitImage crop = new UnitImage(REF, REF, 3);
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < REF; y++) {
                System.arraycopy(texture.planes[ch], (top + y) * FrostTexture.SIZE + left, crop.planes[ch], y * REF, REF);
            }
        }
        UnitImage f = Filters.resample(crop, x.width, x.height);
        UnitImage out = new UnitImage(x.width, x.height, 3);
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < x.width * x.height; i++) {
                out.planes[ch][i] = (float) (c[0] * x.planes[ch][i] + c[1] * f.planes[ch][i]);
            }
        }
        return out;
    }

    /** x + c0·plasma (256-map cropped to the reference size), rescaled by max(x) / (max(x) + c0). */
    private static UnitImage fog(UnitImage x, double[] c, SplittableRandom rnd) {
        UnitImage plasma = PlasmaFractal.generate(256, c[1], rnd);
        UnitImage crop = new UnitImage(REF, REF, 1);
        for (int y = 0; y < REF; y++) {
            System.arraycopy(plasma.planes[0], y * 256, crop.planes[0], y * REF, REF);
        }
        float[] fog = Filters.resample(crop, x.width, x.height).planes[0];
        double max = x.max();
        UnitImage out = new UnitImage(x.width, x.height, 3);
        for (int ch = 0; ch < 3; ch++) {
            for (int i = 0; i < fog.length; i++) {
                out.planes[ch][i] = (float) ((x.planes[ch][i] + c[0] * fog[i]) * max / (max + c[0]));
            }
        }
        return out;
    }

    /** HSV value + c (clipped), hue and saturation kept. */
    private static UnitImage brightness(UnitImage x, double add) {
        UnitImage out = new UnitImage(x.width, x.height, 3);
        for (int i = 0; i < x.width * x.height; i++) {
            double r = x.planes[0][i];
            double g = x.planes[1][i];
            double b = x.planes[2][i];
            double v = Math.max(r, Math.max(g, b));
            double v2 = Math.min(1.0, v + add);
            if (v <= 0) {
                // black: hue and saturation undefined (0); value alone rises, a grey
                out.planes[0][i] = (float) v2;
                out.planes[1][i] = (float) v2;
                out.planes[2][i] = (float) v2;
                continue;
            }
            // Same hue and saturation with value v2: max = v2, min = v2·(1 − s) and the middle channel's
            // place between them are all kept by scaling every channel by v2 / v.
            double f = v2 / v;
            out.planes[0][i] = (float) (r * f);
            out.planes[1][i] = (float) (g * f);
            out.planes[2][i] = (float) (b * f);
        }
        return out;
    }

    /** (x − mean_c)·k + mean_c per channel. */
    private static UnitImage contrast(UnitImage x, double k) {
        UnitImage out = new UnitImage(x.width, x.height, 3);
        for (int ch = 0; ch < 3; ch++) {
            double mean = 0;
            for (float v : x.planes[ch]) {
                mean += v;
            }
            mean /= x.planes[ch].length;
            for (int i = 0; i < x.planes[ch].length; i++) {
                out.planes[ch][i] = (float) ((x.planes[ch][i] - mean) * k + mean);
            }
        }
        return out;
    }

    /**
     * A random affine warp (three points around the centre jittered by U(−c2, c2), bilinear,
     * BORDER_REFLECT_101), then a smooth random displacement field (U(−1, 1) noise Gaussian-smoothed
     * with σ = c1, truncate 3, reflect, times c0) sampled bilinearly with reflection.
     */
    private static UnitImage elastic(UnitImage x, double[] c, double scale, SplittableRandom rnd) {
        double alpha = c[0] * scale * scale;
        double sigma = c[1] * scale;
        double jitter = c[2] * scale;
        int w = x.width;
        int h = x.height;
        // cv2 reads the published (row, col)-built points as (x, y); kept for square images' symmetry.
        double cx = Math.floor(h / 2.0);
        double cy = Math.floor(w / 2.0);
        double sq = Math.floor(Math.min(w, h) / 3.0);
        double[][] src = {{cx + sq, cy + sq}, {cx + sq, cy - sq}, {cx - sq, cy - sq}};
        double[][] dst = new double[3][2];
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 2; q++) {
                dst[p][q] = src[p][q] + rnd.nextDouble(-jitter, jitter);
            }
        }
        double[] inverse = affine(dst, src); // warpAffine samples the source at M⁻¹(destination)
        UnitImage warped = new UnitImage(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                double sx = inverse[0] * xx + inverse[1] * y + inverse[2];
                double sy = inverse[3] * xx + inverse[4] * y + inverse[5];
                for (int ch = 0; ch < 3; ch++) {
                    warped.planes[ch][y * w + xx] = Filters.bilinear(x, ch, sx, sy, Filters.Border.REFLECT_101);
                }
            }
        }
        UnitImage field = new UnitImage(w, h, 2);
        for (float[] p : field.planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) rnd.nextDouble(-1, 1);
            }
        }
        field = Filters.gaussian(field, sigma, 3, Filters.Border.REFLECT);
        UnitImage out = new UnitImage(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int i = y * w + xx;
                double sx = xx + alpha * field.planes[0][i];
                double sy = y + alpha * field.planes[1][i];
                for (int ch = 0; ch < 3; ch++) {
                    out.planes[ch][i] = Filters.bilinear(warped, ch, sx, sy, Filters.Border.REFLECT);
                }
            }
        }
        return out;
    }

    /** The affine map (a, b, c, d, e, f): x' = a·x + b·y + c, y' = d·x + e·y + f taking {@code from} to {@code to}. */
    static double[] affine(double[][] from, double[][] to) {
        double[][] m = {
            {from[0][0], from[0][1], 1},
            {from[1][0], from[1][1], 1},
            {from[2][0], from[2][1], 1}};
        double[] row1 = solve3(m, new double[] {to[0][0], to[1][0], to[2][0]});
        double[] row2 = solve3(m, new double[] {to[0][1], to[1][1], to[2][1]});
        return new double[] {row1[0], row1[1], row1[2], row2[0], row2[1], row2[2]};
    }

    /** Cramer's rule for a 3×3 system. */
    private static double[] solve3(double[][] m, double[] b) {
        double det = det3(m);
        double[] out = new double[3];
        for (int col = 0; col < 3; col++) {
            double[][] mc = {m[0].clone(), m[1].clone(), m[2].clone()};
            for (int r = 0; r < 3; r++) {
                mc[r][col] = b[r];
            }
            out[col] = det3(mc) / det;
        }
        return out;
    }

    private static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /** PIL BOX resize down to int(side·c), then BOX back up. */
    private static UnitImage pixelate(UnitImage x, double c) {
        int sw = Math.max(1, (int) (x.width * c));
        int sh = Math.max(1, (int) (x.height * c));
        return Filters.boxResize(Filters.boxResize(x, sw, sh), x.width, x.height);
    }

    /** Encoded as JPEG at {@code quality} and decoded again. */
    static RgbImage jpeg(RgbImage image, int quality) {
        try {
            return ImageDecoder.decode(ImagePreprocessor.encodeJpeg(image, quality));
        } catch (ImageDecodeException e) {
            throw new IllegalStateException("cannot decode our own JPEG", e);
        }
    }
}
