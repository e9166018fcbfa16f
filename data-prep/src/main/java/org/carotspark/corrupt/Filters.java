package org.carotspark.corrupt;

import org.carotspark.image.BicubicResampler;
import org.carotspark.image.RgbImage;

/**
 * The image operations the corruptions are built from, each following the library call the
 * published ImageNet-C code makes (scipy / skimage Gaussian filters, OpenCV's filter2D and
 * warpAffine borders, scipy's linear zoom, ImageMagick's motion blur, PIL's box resize).
 */
final class Filters {

    /** Border handling of out-of-range indices. */
    enum Border {
        /** Repeat the edge pixel (scipy "nearest", ImageMagick's default "edge"). */
        NEAREST,
        /** d c b a | a b c d | d c b a (scipy "reflect"). */
        REFLECT,
        /** d c b | a b c d | c b a (OpenCV's default BORDER_REFLECT_101). */
        REFLECT_101
    }

    private Filters() {
    }

    static int index(int i, int n, Border border) {
        if (i >= 0 && i < n) {
            return i;
        }
        if (n == 1) {
            return 0;
        }
        switch (border) {
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            default: {
                int period = 2 * n - 2;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - m;
            }
        }
    }

    /** scipy's Gaussian kernel: radius = int(truncate·σ + 0.5), weights exp(−x²/2σ²), normalised. */
    static double[] gaussianKernel(double sigma, double truncate) {
        int radius = (int) (truncate * sigma + 0.5);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = sigma > 0 ? Math.exp(-0.5 * i * i / (sigma * sigma)) : (i == 0 ? 1 : 0);
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable Gaussian filter of every plane (skimage {@code gaussian}: truncate 4, or as given). */
    static UnitImage gaussian(UnitImage img, double sigma, double truncate, Border border) {
        double[] k = gaussianKernel(sigma, truncate);
        return separable(img, k, k, border);
    }

    /** Correlation with a separable kernel (horizontal {@code kx}, vertical {@code ky}, both odd). */
    static UnitImage separable(UnitImage img, double[] kx, double[] ky, Border border) {
        int w = img.width;
        int h = img.height;
        int rx = kx.length / 2;
        int ry = ky.length / 2;
        UnitImage out = new UnitImage(w, h, img.channels());
        float[] tmp = new float[w * h];
        for (int c = 0; c < img.channels(); c++) {
            float[] in = img.planes[c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -rx; k <= rx; k++) {
                        acc += kx[k + rx] * in[y * w + index(x + k, w, border)];
                    }
                    tmp[y * w + x] = (float) acc;
                }
            }
            float[] o = out.planes[c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -ry; k <= ry; k++) {
                        acc += ky[k + ry] * tmp[index(y + k, h, border) * w + x];
                    }
                    o[y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Correlation of every plane with a square kernel (OpenCV filter2D, BORDER_REFLECT_101). */
    static UnitImage filter2d(UnitImage img, double[][] kernel) {
        int w = img.width;
        int h = img.height;
        int r = kernel.length / 2;
        UnitImage out = new UnitImage(w, h, img.channels());
        for (int c = 0; c < img.channels(); c++) {
            float[] in = img.planes[c];
            float[] o = out.planes[c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int dy = -r; dy <= r; dy++) {
                        int row = index(y + dy, h, Border.REFLECT_101) * w;
                        double[] kr = kernel[dy + r];
                        for (int dx = -r; dx <= r; dx++) {
                            double kv = kr[dx + r];
                            if (kv != 0) {
                                acc += kv * in[row + index(x + dx, w, Border.REFLECT_101)];
                            }
                        }
                    }
                    o[y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /** Bilinear sample of plane c at (x, y), out-of-range neighbours mapped by {@code border}. */
    static float bilinear(UnitImage img, int c, double x, double y, Border border) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        int xa = index(x0, img.width, border);
        int xb = index(x0 + 1, img.width, border);
        int ya = index(y0, img.height, border);
        int yb = index(y0 + 1, img.height, border);
        float[] p = img.planes[c];
        int w = img.width;
        double top = p[ya * w + xa] * (1 - fx) + p[ya * w + xb] * fx;
        double bottom = p[yb * w + xa] * (1 - fx) + p[yb * w + xb] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /**
     * The published {@code clipped_zoom}: crop the centred ceil(n / z) window (per axis), zoom it by z
     * with scipy's linear zoom (output round(n·z), corners mapped to corners) and trim the centre back
     * to the original size.
     */
    static UnitImage clippedZoom(UnitImage img, double zoom) {
        int w = img.width;
        int h = img.height;
        int cw = (int) Math.ceil(w / zoom);
        int ch = (int) Math.ceil(h / zoom);
        int left = (w - cw) / 2;
        int top = (h - ch) / 2;
        int zw = (int) Math.rint(cw * zoom);
        int zh = (int) Math.rint(ch * zoom);
        int trimX = (zw - w) / 2;
        int trimY = (zh - h) / 2;
        double sx = zw > 1 ? (cw - 1.0) / (zw - 1.0) : 0;
        double sy = zh > 1 ? (ch - 1.0) / (zh - 1.0) : 0;
        UnitImage out = new UnitImage(w, h, img.channels());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < h; y++) {
                double iy = top + (y + trimY) * sy;
                for (int x = 0; x < w; x++) {
                    double ix = left + (x + trimX) * sx;
                    out.planes[c][y * w + x] = bilinear(img, c, ix, iy, Border.NEAREST);
                }
            }
        }
        return out;
    }

    /**
     * ImageMagick's MotionBlurImage: a one-sided Gaussian (weights exp(−i²/2σ²), i = 0..2⌈r⌉,
     * normalised) along the angle, taps at (⌈i·cos a − ½⌉, ⌈i·sin a − ½⌉), edge pixels repeated.
     */
    static UnitImage motionBlur(UnitImage img, double radius, double sigma, double angleDegrees) {
        int width = (int) (2 * Math.ceil(radius) + 1);
        double[] k = new double[width];
        double sum = 0;
        for (int i = 0; i < width; i++) {
            k[i] = Math.exp(-(double) i * i / (2 * sigma * sigma));
            sum += k[i];
        }
        double a = Math.toRadians(angleDegrees);
        int[] ox = new int[width];
        int[] oy = new int[width];
        for (int i = 0; i < width; i++) {
            k[i] /= sum;
            ox[i] = (int) Math.ceil(i * Math.cos(a) - 0.5);
            oy[i] = (int) Math.ceil(i * Math.sin(a) - 0.5);
        }
        int w = img.width;
        int h = img.height;
        UnitImage out = new UnitImage(w, h, img.channels());
        for (int c = 0; c < img.channels(); c++) {
            float[] in = img.planes[c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = 0; i < width; i++) {
                        acc += k[i] * in[index(y + oy[i], h, Border.NEAREST) * w + index(x + ox[i], w, Border.NEAREST)];
                    }
                    out.planes[c][y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /**
     * PIL's BOX resize: each output pixel averages the input pixels whose centres fall inside its
     * footprint (at least the nearest one), so shrinking averages blocks and enlarging repeats pixels.
     */
    static UnitImage boxResize(UnitImage img, int outW, int outH) {
        int[][] xr = boxRanges(img.width, outW);
        int[][] yr = boxRanges(img.height, outH);
        UnitImage out = new UnitImage(outW, outH, img.channels());
        for (int c = 0; c < img.channels(); c++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double acc = 0;
                    for (int yy = yr[y][0]; yy < yr[y][1]; yy++) {
                        for (int xx = xr[x][0]; xx < xr[x][1]; xx++) {
                            acc += img.planes[c][yy * img.width + xx];
                        }
                    }
                    out.planes[c][y * outW + x] = (float) (acc / ((yr[y][1] - yr[y][0]) * (xr[x][1] - xr[x][0])));
                }
            }
        }
        return out;
    }

    /** Per output pixel, the [from, to) input pixels whose centres lie in its footprint. */
    private static int[][] boxRanges(int in, int out) {
        double scale = (double) in / out;
        int[][] r = new int[out][2];
        for (int i = 0; i < out; i++) {
            double lo = i * scale;
            double hi = (i + 1) * scale;
            int from = (int) Math.ceil(lo - 0.5);
            int to = (int) Math.ceil(hi - 0.5);
            if (to <= from) {
                from = Math.min(in - 1, (int) Math.floor((lo + hi) / 2));
                to = from + 1;
            }
            r[i][0] = Math.max(0, from);
            r[i][1] = Math.min(in, Math.max(to, r[i][0] + 1));
        }
        return r;
    }

    /** A procedural layer made at the reference size, brought to the image's size (antialiased bicubic). */
    static UnitImage resample(UnitImage layer, int w, int h) {
        if (layer.width == w && layer.height == h) {
            return layer;
        }
        float[][] three = new float[3][];
        for (int c = 0; c < 3; c++) {
            three[c] = layer.planes[Math.min(c, layer.channels() - 1)];
        }
        RgbImage resized = BicubicResampler.resize(new RgbImage(layer.width, layer.height, three), w, h);
        float[][] planes = new float[layer.channels()][];
        for (int c = 0; c < planes.length; c++) {
            planes[c] = resized.planes()[c];
        }
        return new UnitImage(w, h, planes);
    }
}
