package org.carotspark.image;

/**
 * Separable bicubic resampling with the Keys kernel (a = −0.5), computed exactly as Pillow's
 * {@code Image.resize(size, BICUBIC)} computes it for 8-bit RGB images, which is what torchvision's
 * Resize and RandomResizedCrop do to the PIL images CLIP was trained and evaluated on.
 *
 * <p>Antialiased: when shrinking by a factor s the kernel is stretched by s (support 2·s input pixels
 * each side), so every input pixel contributes. Weights are normalised to sum to 1 per output pixel
 * (taps outside the image are dropped, so constant images stay constant at the borders), then
 * quantised to 22-bit fixed point; the horizontal pass runs first and, as in Pillow, its result is
 * rounded and clamped to 0..255 before the vertical pass. Inputs are taken as 8-bit values (rounded
 * and clamped to 0..255, as decoded images already are); outputs are integers in 0..255.
 */
public final class BicubicResampler {

    /** Keys' cubic convolution parameter used by PIL and OpenCV's bicubic. */
    public static final double A = -0.5;
    private static final double RADIUS = 2.0;
    /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
    private static final int PRECISION_BITS = 22;
    private static final int ROUNDING = 1 << (PRECISION_BITS - 1);

    private BicubicResampler() {
    }

    /** The Keys cubic kernel. */
    public static double kernel(double x) {
        double t = Math.abs(x);
        if (t < 1.0) {
            return ((A + 2.0) * t - (A + 3.0)) * t * t + 1.0;
        }
        if (t < 2.0) {
            return (((t - 5.0) * t + 8.0) * t - 4.0) * A;
        }
        return 0.0;
    }

    /** Per-output-pixel taps along one axis, in Pillow's fixed point. */
    static final class Taps {
        final int[] start;
        final int[][] weights;

        Taps(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = RADIUS * filterScale;
            double invFilterScale = 1.0 / filterScale;
            start = new int[outSize];
            weights = new int[outSize][];
            for (int i = 0; i < outSize; i++) {
                // Output pixel i is centred at input coordinate (i + 0.5)·scale (pixel-edge units).
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) (center - support + 0.5));
                int hi = Math.min(inSize, (int) (center + support + 0.5));
                double[] w = new double[Math.max(0, hi - lo)];
                double sum = 0;
                for (int x = lo; x < hi; x++) {
                    // Same operation order as Pillow, so the quantised weights agree bit for bit.
                    w[x - lo] = kernel((x - center + 0.5) * invFilterScale);
                    sum += w[x - lo];
                }
                int[] fixed = new int[w.length];
                for (int k = 0; k < w.length; k++) {
                    double v = (sum != 0 ? w[k] / sum : w[k]) * (1 << PRECISION_BITS);
                    fixed[k] = (int) (v < 0 ? v - 0.5 : v + 0.5);
                }
                start[i] = lo;
                weights[i] = fixed;
            }
        }
    }

    /**
     * Resizes to exactly outWidth × outHeight (horizontal pass, then vertical). The same size is a copy of the
     * 8-bit image without resampling, as in Pillow's {@code Image.resize}.
     */
    public static RgbImage resize(RgbImage src, int outWidth, int outHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive: " + outWidth + "x" + outHeight);
        }
        if (outWidth == src.width() && outHeight == src.height()) {
            float[][] copy = new float[3][];
            for (int c = 0; c < 3; c++) {
                float[] in = src.planes()[c];
                copy[c] = new float[in.length];
                for (int i = 0; i < in.length; i++) {
                    copy[c][i] = RgbImage.toByte(in[i]);
                }
            }
            return new RgbImage(outWidth, outHeight, copy);
        }
        int inW = src.width();
        int inH = src.height();
        int[][] planes = new int[3][];
        for (int c = 0; c < 3; c++) {
            float[] in = src.planes()[c];
            int[] bytes = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                bytes[i] = RgbImage.toByte(in[i]);
            }
            planes[c] = bytes;
        }
        if (outWidth != inW) {
            Taps tx = new Taps(inW, outWidth);
            for (int c = 0; c < 3; c++) {
                planes[c] = horizontal(planes[c], inW, inH, outWidth, tx);
            }
        }
        if (outHeight != inH) {
            Taps ty = new Taps(inH, outHeight);
            for (int c = 0; c < 3; c++) {
                planes[c] = vertical(planes[c], outWidth, outHeight, ty);
            }
        }
        float[][] out = new float[3][outWidth * outHeight];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < out[c].length; i++) {
                out[c][i] = planes[c][i];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }

    private static int[] horizontal(int[] in, int width, int height, int outWidth, Taps taps) {
        int[] out = new int[outWidth * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < outWidth; x++) {
                int[] w = taps.weights[x];
                int pos = y * width + taps.start[x];
                int acc = ROUNDING;
                for (int k = 0; k < w.length; k++) {
                    acc += in[pos + k] * w[k];
                }
                out[y * outWidth + x] = clip8(acc);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int width, int outHeight, Taps taps) {
        int[] out = new int[width * outHeight];
        int[] acc = new int[width];
        for (int y = 0; y < outHeight; y++) {
            int[] w = taps.weights[y];
            java.util.Arrays.fill(acc, ROUNDING);
            // Row by row, so memory is read sequentially.
            for (int k = 0; k < w.length; k++) {
                int row = (taps.start[y] + k) * width;
                int wk = w[k];
                for (int x = 0; x < width; x++) {
                    acc[x] += in[row + x] * wk;
                }
            }
            for (int x = 0; x < width; x++) {
                out[y * width + x] = clip8(acc[x]);
            }
        }
        return out;
    }

    /** Fixed point → 0..255 (floor after the half added up front, i.e. round half up). */
    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
