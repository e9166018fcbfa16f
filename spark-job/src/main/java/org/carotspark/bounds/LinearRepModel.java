package org.carotspark.bounds;

import java.util.SplittableRandom;

/**
 * The small network of the experiment: a linear representation h = W x (W is k×d) and a logistic
 * head p = sigmoid(v·h + b). Plain Java arrays: all per-step work is matrix–vector products, so
 * the model runs fast and bit-for-bit reproducibly in any Spark task without native libraries.
 */
public final class LinearRepModel {

    final double[][] w;
    final double[] v;
    double b;

    LinearRepModel(double[][] w, double[] v, double b) {
        this.w = w;
        this.v = v;
        this.b = b;
    }

    /** W ~ N(0, 1/d) (rows of about unit norm, W Wᵀ ≈ I), v ~ N(0, 1/k), b = 0. */
    public static LinearRepModel init(int k, int d, SplittableRandom rng) {
        double[][] w = new double[k][d];
        double sw = 1.0 / Math.sqrt(d);
        for (double[] row : w) {
            for (int j = 0; j < d; j++) {
                row[j] = sw * rng.nextGaussian();
            }
        }
        double[] v = new double[k];
        double sv = 1.0 / Math.sqrt(k);
        for (int r = 0; r < k; r++) {
            v[r] = sv * rng.nextGaussian();
        }
        return new LinearRepModel(w, v, 0.0);
    }

    public int repDim() {
        return v.length;
    }

    public int inputDim() {
        return w[0].length;
    }

    public LinearRepModel copy() {
        double[][] wc = new double[w.length][];
        for (int r = 0; r < w.length; r++) {
            wc[r] = w[r].clone();
        }
        return new LinearRepModel(wc, v.clone(), b);
    }

    /** this ← m·this + (1−m)·other (the EMA teacher update). */
    public void emaToward(LinearRepModel other, double m) {
        for (int r = 0; r < w.length; r++) {
            double[] a = w[r];
            double[] o = other.w[r];
            for (int j = 0; j < a.length; j++) {
                a[j] = m * a[j] + (1 - m) * o[j];
            }
            v[r] = m * v[r] + (1 - m) * other.v[r];
        }
        b = m * b + (1 - m) * other.b;
    }

    /** The end-to-end linear predictor Wᵀv, so that the logit is x·(Wᵀv) + b. */
    double[] effectiveWeights() {
        int d = inputDim();
        double[] e = new double[d];
        for (int r = 0; r < w.length; r++) {
            double vr = v[r];
            double[] row = w[r];
            for (int j = 0; j < d; j++) {
                e[j] += vr * row[j];
            }
        }
        return e;
    }

    public double[] logits(double[][] x) {
        double[] e = effectiveWeights();
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = dot(x[i], e) + b;
        }
        return z;
    }

    public double[] probabilities(double[][] x) {
        double[] z = logits(x);
        for (int i = 0; i < z.length; i++) {
            z[i] = sigmoid(z[i]);
        }
        return z;
    }

    /** h_i = W x_i for every row: n×k. */
    public double[][] representations(double[][] x) {
        int k = repDim();
        double[][] h = new double[x.length][k];
        for (int i = 0; i < x.length; i++) {
            for (int r = 0; r < k; r++) {
                h[i][r] = dot(w[r], x[i]);
            }
        }
        return h;
    }

    static double dot(double[] a, double[] c) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * c[j];
        }
        return s;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** log(1 + e^z), stable for large |z|. */
    static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }
}
