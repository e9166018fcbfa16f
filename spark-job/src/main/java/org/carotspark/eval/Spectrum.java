package org.carotspark.eval;

import java.util.Arrays;

/**
 * Covariance and eigenvalues of small symmetric matrices (k ≈ 32), the σ_min of the bound.
 * For a covariance (symmetric positive semi-definite) the singular values are its eigenvalues.
 */
public final class Spectrum {

    private static final int MAX_SWEEPS = 100;

    private Spectrum() {
    }

    /** Unbiased sample covariance (divisor n − 1) of the rows of {@code h} (n×k). */
    public static double[][] covariance(double[][] h) {
        double[] mean = columnMeans(h, "covariance");
        int n = h.length;
        int k = mean.length;
        double[][] c = new double[k][k];
        double[] centred = new double[k];
        for (double[] row : h) {
            for (int r = 0; r < k; r++) {
                centred[r] = row[r] - mean[r];
            }
            for (int r = 0; r < k; r++) {
                double cr = centred[r];
                for (int s = r; s < k; s++) {
                    c[r][s] += cr * centred[s];
                }
            }
        }
        for (int r = 0; r < k; r++) {
            for (int s = r; s < k; s++) {
                c[r][s] /= (n - 1);
                c[s][r] = c[r][s];
            }
        }
        return c;
    }

    /** Column means of {@code h} (n×k), n ≥ 2 as every sample statistic here needs; {@code what} names the caller. */
    private static double[] columnMeans(double[][] h, String what) {
        int n = h.length;
        if (n < 2) {
            throw new IllegalArgumentException(what + " needs at least 2 rows, got " + n);
        }
        int k = h[0].length;
        double[] mean = new double[k];
        for (double[] row : h) {
            for (int r = 0; r < k; r++) {
                mean[r] += row[r];
            }
        }
        for (int r = 0; r < k; r++) {
            mean[r] /= n;
        }
        return mean;
    }

    /** Eigenvalues of a symmetric matrix, ascending (cyclic Jacobi rotations; the input is not modified). */
    public static double[] symmetricEigenvalues(double[][] matrix) {
        int k = matrix.length;
        double[][] a = new double[k][];
        for (int r = 0; r < k; r++) {
            if (matrix[r].length != k) {
                throw new IllegalArgumentException("matrix is not square");
            }
            a[r] = matrix[r].clone();
        }
        double scale = 0.0;
        for (double[] row : a) {
            for (double e : row) {
                scale = Math.max(scale, Math.abs(e));
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0.0;
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(scale * scale, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < k; p++) {
                for (int q = p + 1; q < k; q++) {
                    if (a[p][q] != 0.0) {
                        rotate(a, p, q);
                    }
                }
            }
        }
        double[] ev = new double[k];
        for (int r = 0; r < k; r++) {
            ev[r] = a[r][r];
        }
        Arrays.sort(ev);
        return ev;
    }

    /** Zeroes a[p][q] with one Jacobi rotation (Golub & Van Loan, Alg. 8.4.1). */
    private static void rotate(double[][] a, int p, int q) {
        double apq = a[p][q];
        double theta = (a[q][q] - a[p][p]) / (2.0 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
        if (theta == 0.0) {
            t = 1.0;
        }
        double c = 1.0 / Math.sqrt(t * t + 1.0);
        double s = t * c;
        int k = a.length;
        for (int r = 0; r < k; r++) {
            double arp = a[r][p];
            double arq = a[r][q];
            a[r][p] = c * arp - s * arq;
            a[r][q] = s * arp + c * arq;
        }
        for (int r = 0; r < k; r++) {
            double apr = a[p][r];
            double aqr = a[q][r];
            a[p][r] = c * apr - s * aqr;
            a[q][r] = s * apr + c * aqr;
        }
    }

    /**
     * Column-standardised copy of {@code h} (n×k): every column centred and divided by its sample
     * standard deviation (divisor n − 1). A column with zero variance is left at zero, so its
     * direction contributes a zero eigenvalue (σ_min = 0) instead of a division by zero.
     */
    public static double[][] standardize(double[][] h) {
        double[] mean = columnMeans(h, "standardize");
        int n = h.length;
        int k = mean.length;
        double[] sd = new double[k];
        for (double[] row : h) {
            for (int r = 0; r < k; r++) {
                double c = row[r] - mean[r];
                sd[r] += c * c;
            }
        }
        for (int r = 0; r < k; r++) {
            sd[r] = Math.sqrt(sd[r] / (n - 1));
        }
        double[][] z = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < k; r++) {
                z[i][r] = sd[r] > 0.0 ? (h[i][r] - mean[r]) / sd[r] : 0.0;
            }
        }
        return z;
    }

    /**
     * σ_min(D_ID) as the paper computes it (its Figure 6: singular values of the covariance of the
     * standardised representations): the smallest eigenvalue of the sample covariance of the
     * column-standardised rows of {@code h}, i.e. of their correlation matrix. It lies in [0, 1]
     * (the eigenvalues of a k×k correlation matrix average 1) and does not depend on the scale of h.
     */
    public static double minStandardizedCovarianceSingularValue(double[][] h) {
        return minCovarianceSingularValue(standardize(h));
    }

    /**
     * The {@code k} smallest singular values (ascending, clipped at 0) of the covariance of the
     * column-standardised rows of {@code h}: the spectrum the paper's Figure 6 plots (k = 20 there).
     */
    public static double[] smallestStandardizedCovarianceSingularValues(double[][] h, int k) {
        double[] ev = symmetricEigenvalues(covariance(standardize(h)));
        double[] out = Arrays.copyOf(ev, Math.min(k, ev.length));
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0.0, out[i]);
        }
        return out;
    }

    /** σ_min of the sample covariance of the rows of {@code h}. */
    public static double minCovarianceSingularValue(double[][] h) {
        double[] ev = symmetricEigenvalues(covariance(h));
        return Math.max(0.0, ev[0]);
    }
}
