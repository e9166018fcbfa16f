package org.carotspark.eval;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectrumTest {

    /** A random rotation Q (Gram–Schmidt of Gaussian columns) so Q diag(λ) Qᵀ has known eigenvalues λ. */
    private static double[][] rotation(int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[k][k];
        for (int c = 0; c < k; c++) {
            double[] col = new double[k];
            for (int r = 0; r < k; r++) {
                col[r] = rng.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int r = 0; r < k; r++) {
                    dot += col[r] * q[r][p];
                }
                for (int r = 0; r < k; r++) {
                    col[r] -= dot * q[r][p];
                }
            }
            double norm = 0;
            for (double e : col) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < k; r++) {
                q[r][c] = col[r] / norm;
            }
        }
        return q;
    }

    private static double[][] withEigenvalues(double[][] q, double[] lambda) {
        int k = lambda.length;
        double[][] a = new double[k][k];
        for (int r = 0; r < k; r++) {
            for (int s = 0; s < k; s++) {
                double v = 0;
                for (int p = 0; p < k; p++) {
                    v += q[r][p] * lambda[p] * q[s][p];
                }
                a[r][s] = v;
            }
        }
        return a;
    }

    @Test
    void eigenvaluesOfARotatedDiagonalMatrixAreRecovered() {
        double[] lambda = {5.0, 0.01, 2.5, 1.0, 0.3, 7.0, 0.3, 4.0};
        double[][] a = withEigenvalues(rotation(lambda.length, 3), lambda);
        double[] sorted = lambda.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, Spectrum.symmetricEigenvalues(a), 1e-10);
    }

    @Test
    void twoByTwoByHand() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3
        assertArrayEquals(new double[] {1, 3}, Spectrum.symmetricEigenvalues(new double[][] {{2, 1}, {1, 2}}), 1e-12);
        assertArrayEquals(new double[] {-1, 4}, Spectrum.symmetricEigenvalues(new double[][] {{4, 0}, {0, -1}}), 0.0);
    }

    @Test
    void covarianceIsTheUnbiasedSampleCovariance() {
        double[][] h = {{1, 2}, {3, 6}, {5, 4}};
        // means (3, 4); deviations (-2,-2), (0,2), (2,0) -> sums xx 8, yy 8, xy 4, divisor 2
        double[][] c = Spectrum.covariance(h);
        assertArrayEquals(new double[] {4, 2}, c[0], 1e-12);
        assertArrayEquals(new double[] {2, 4}, c[1], 1e-12);
        assertEquals(2.0, Spectrum.minCovarianceSingularValue(h), 1e-12);
    }

    @Test
    void sigmaMinOfSamplesFromAKnownCovariance() {
        // h = L z with L = Q diag(sqrt λ): Cov(h) = Q diag(λ) Qᵀ, σ_min = 0.25
        double[] lambda = {4.0, 1.0, 0.25, 2.0};
        int k = lambda.length;
        double[][] q = rotation(k, 9);
        SplittableRandom rng = new SplittableRandom(5);
        int n = 200_000;
        double[][] h = new double[n][k];
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            for (int p = 0; p < k; p++) {
                z[p] = Math.sqrt(lambda[p]) * rng.nextGaussian();
            }
            for (int r = 0; r < k; r++) {
                double v = 3.0; // a non-zero mean must not matter
                for (int p = 0; p < k; p++) {
                    v += q[r][p] * z[p];
                }
                h[i][r] = v;
            }
        }
        assertEquals(0.25, Spectrum.minCovarianceSingularValue(h), 0.01);
    }

    @Test
    void standardisedSigmaMinIsOneMinusTheCorrelationForTwoColumns() {
        // columns (1, 2, 3, 4) and (2, 1, 4, 3): means 2.5, deviations (-1.5,-0.5,0.5,1.5) and
        // (-0.5,-1.5,1.5,0.5); sum of products 0.75+0.75+0.75+0.75 = 3, sums of squares 5 and 5
        // -> correlation 3/5 = 0.6; correlation matrix [[1, .6], [.6, 1]] has eigenvalues 0.4 and 1.6
        double[][] h = {{1, 2}, {2, 1}, {3, 4}, {4, 3}};
        assertEquals(0.4, Spectrum.minStandardizedCovarianceSingularValue(h), 1e-12);
        // the raw covariance [[5/3, 1], [1, 5/3]] has σ_min 2/3: standardising changes the number
        assertEquals(2.0 / 3.0, Spectrum.minCovarianceSingularValue(h), 1e-12);
    }

    @Test
    void standardisedSigmaMinIgnoresColumnScaleAndOffset() {
        double[][] h = {{1, 2}, {2, 1}, {3, 4}, {4, 3}};
        double[][] scaled = new double[h.length][];
        for (int i = 0; i < h.length; i++) {
            scaled[i] = new double[] {100.0 * h[i][0] - 7.0, 0.01 * h[i][1] + 3.0};
        }
        assertEquals(Spectrum.minStandardizedCovarianceSingularValue(h),
                Spectrum.minStandardizedCovarianceSingularValue(scaled), 1e-12);
        double[][] z = Spectrum.standardize(scaled);
        double[][] c = Spectrum.covariance(z);
        assertEquals(1.0, c[0][0], 1e-12);
        assertEquals(1.0, c[1][1], 1e-12);
        assertEquals(0.6, c[0][1], 1e-12);
    }

    @Test
    void constantColumnGivesZeroSigmaMin() {
        double[][] h = {{1, 5}, {2, 5}, {3, 5}};
        assertEquals(0.0, Spectrum.minStandardizedCovarianceSingularValue(h), 0.0);
    }
}
