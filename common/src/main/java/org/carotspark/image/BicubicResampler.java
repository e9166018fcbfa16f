package org.carotspark.image;

/**
 * Separable bicubic resampling with the Keys kernel (a = −0.5), antialiased like PIL's BICUBIC: when
 * shrinking by a factor s the kernel is stretched by s (support 2·s input pixels each side), so every
 * input pixel contributes and no aliasing appears. Weights are normalised to sum to 1 per output pixel,
 * which keeps constant images constant also at the borders (taps outside the image are dropped).
 */
public final class BicubicResampler {

    /** Keys' cubic convolution parameter used by PIL and OpenCV's bicubic. */
    public static final double A = -0.5;
    private static final double RADIUS = 2.0;

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

    /** Per-output-pixel taps along one axis. */
    static final class Taps {
        final int[] start;
        final int[] count;
        final float[][] weights;

        Taps(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = RADIUS * filterScale;
            start = new int[outSize];
            count = new int[outSize];
            weights = new float[outSize][];
            for (int i = 0; i < outSize; i++) {
                // Pixel centres: output i sits at input coordinate (i + 0.5)·scale (in pixel-edge units).
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
                int hi = Math.min(inSize, (int) Math.floor(center + support + 0.5));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int x = lo; x < hi; x++) {
                    double v = kernel((x + 0.5 - center) / filterScale);
                    w[x - lo] = v;
                    sum += v;
                }
                float[] wf = new float[w.length];
                for (int k = 0; k < w.length; k++) {
                    wf[k] = (float) (sum == 0 ? 0 : w[k] / sum);
                }
                start[i] = lo;
                count[i] = hi - lo;
                weights[i] = wf;
            }
        }
    }

    /** Resizes to exactly outWidth × outHeight (horizontal pass, then vertical). */
    public static RgbImage resize(RgbImage src, int outWidth, int outHeight) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive: " + outWidth + "x" + outHeight);
        }
        int inW = src.width();
        int inH = src.height();
        float[][] horizontal;
        if (outWidth == inW) {
            horizontal = src.planes();
        } else {
            Taps tx = new Taps(inW, outWidth);
            horizontal = new float[3][outWidth * inH];
            for (int c = 0; c < 3; c++) {
                float[] in = src.planes()[c];
                float[] out = horizontal[c];
                for (int y = 0; y < inH; y++) {
                    int row = y * inW;
                    for (int x = 0; x < outWidth; x++) {
                        float[] w = tx.weights[x];
                        int s = row + tx.start[x];
                        double acc = 0;
                        for (int k = 0; k < w.length; k++) {
                            acc += w[k] * in[s + k];
                        }
                        out[y * outWidth + x] = (float) acc;
                    }
                }
            }
        }
        if (outHeight == inH) {
            return new RgbImage(outWidth, outHeight, horizontal == src.planes() ? copy(horizontal) : horizontal);
        }
        Taps ty = new Taps(inH, outHeight);
        float[][] result = new float[3][outWidth * outHeight];
        for (int c = 0; c < 3; c++) {
            float[] in = horizontal[c];
            float[] out = result[c];
            for (int y = 0; y < outHeight; y++) {
                float[] w = ty.weights[y];
                int s = ty.start[y];
                int o = y * outWidth;
                // Row-wise accumulation keeps memory access sequential.
                for (int k = 0; k < w.length; k++) {
                    float wk = w[k];
                    int r = (s + k) * outWidth;
                    for (int x = 0; x < outWidth; x++) {
                        out[o + x] += wk * in[r + x];
                    }
                }
            }
        }
        return new RgbImage(outWidth, outHeight, result);
    }

    private static float[][] copy(float[][] p) {
        return new float[][]{p[0].clone(), p[1].clone(), p[2].clone()};
    }
}
