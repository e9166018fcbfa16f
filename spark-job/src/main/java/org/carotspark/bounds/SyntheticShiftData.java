package org.carotspark.bounds;

import java.util.SplittableRandom;

/**
 * Binary classification with Gaussian features in three blocks (the paper's synthetic setting, §5.1):
 * <pre>
 *   s = +1 for label 1, -1 for label 0 (labels are fair coin flips)
 *   block 1 (block1Dims):  x_j = s * mu1 * (1 - a*t)      + sigma * e_j
 *   block 2 (block2Dims):  x_j = max(0, 1 - b*t) * (s * mu2 + sigma * e_j)
 *   noise   (noiseDims):   x_j = sigma * e_j
 * </pre>
 * with e_j ~ N(0, 1) i.i.d. and shift strength t (t = 0: in-distribution). The OOD shift moves the
 * label-correlated mean of block 1 (a = block1MeanDrop) and shrinks the scale of block 2 (b = block2ScaleDrop).
 */
public final class SyntheticShiftData {

    /** Rows of features and their labels in {0, 1}. */
    public record Dataset(double[][] x, int[] y) {
        public int size() {
            return y.length;
        }

        public int dims() {
            return x.length == 0 ? 0 : x[0].length;
        }
    }

    private SyntheticShiftData() {
    }

    /** Class mean per coordinate of block 1 under shift t (for s = +1). */
    public static double block1Mean(BoundsSettings.DataSpec spec, double shift) {
        return spec.block1Mean() * (1.0 - spec.block1MeanDrop() * shift);
    }

    /** Scale factor applied to block 2 (mean and noise) under shift t. */
    public static double block2Scale(BoundsSettings.DataSpec spec, double shift) {
        return Math.max(0.0, 1.0 - spec.block2ScaleDrop() * shift);
    }

    public static Dataset generate(BoundsSettings.DataSpec spec, int n, double shift, long rngSeed) {
        SplittableRandom rng = new SplittableRandom(rngSeed);
        int d = spec.dims();
        int end1 = spec.block1Dims();
        int end2 = end1 + spec.block2Dims();
        double mu1 = block1Mean(spec, shift);
        double scale2 = block2Scale(spec, shift);
        double mu2 = spec.block2Mean();
        double sigma = spec.noiseStd();
        double[][] x = new double[n][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextBoolean() ? 1 : 0;
            double s = y[i] == 1 ? 1.0 : -1.0;
            double[] row = x[i];
            for (int j = 0; j < end1; j++) {
                row[j] = s * mu1 + sigma * rng.nextGaussian();
            }
            for (int j = end1; j < end2; j++) {
                row[j] = scale2 * (s * mu2 + sigma * rng.nextGaussian());
            }
            for (int j = end2; j < d; j++) {
                row[j] = sigma * rng.nextGaussian();
            }
        }
        return new Dataset(x, y);
    }
}
