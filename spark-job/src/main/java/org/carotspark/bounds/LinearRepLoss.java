package org.carotspark.bounds;

/**
 * The training objective, with hand-written gradients (checked by finite differences in the tests):
 * <pre>
 *   L(θ) = (1/n) Σ_i ℓ(p_i, y_i)                         task loss: CE = −y log p − (1−y) log(1−p), or MSE = (p − y)²
 *        + λ_SD · (1/n) Σ_i CE(q_i, p_i)                  L_SD-style: cross-entropy to the EMA teacher's probability q_i
 *        + λ_OC · ‖W Wᵀ − I_k‖_F                          L_OC-style: orthogonality of the representation layer
 *        + (wd/2) · (‖W‖_F² + ‖v‖²)                        weight decay
 * </pre>
 * with p_i = sigmoid(v·W x_i + b). Every data term depends on the logit only, so its gradient with
 * respect to W is the rank-one v uᵀ with u = Σ_i (∂ℓ/∂z_i) x_i: one pass over the data per step.
 */
public final class LinearRepLoss {

    private final BoundsSettings.Loss loss;
    private final double lambdaOc;
    private final double lambdaSd;
    private final double weightDecay;

    public LinearRepLoss(BoundsSettings.Loss loss, double lambdaOc, double lambdaSd, double weightDecay) {
        this.loss = loss;
        this.lambdaOc = lambdaOc;
        this.lambdaSd = lambdaSd;
        this.weightDecay = weightDecay;
    }

    /** Loss value and gradient of every parameter. */
    public record Result(double loss, double[][] gradW, double[] gradV, double gradB) {
    }

    /**
     * @param teacher the teacher's probability per row, or null while self-distillation is off
     */
    public Result evaluate(LinearRepModel model, double[][] x, int[] y, double[] teacher) {
        int n = x.length;
        int k = model.repDim();
        int d = model.inputDim();
        double[] z = model.logits(x);
        double[] u = new double[d];
        double value = 0.0;
        double gradB = 0.0;
        boolean sd = teacher != null && lambdaSd != 0.0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            double p = LinearRepModel.sigmoid(zi);
            double yi = y[i];
            double dz;
            if (loss == BoundsSettings.Loss.CE) {
                value += LinearRepModel.softplus(zi) - yi * zi;
                dz = p - yi;
            } else {
                value += (p - yi) * (p - yi);
                dz = 2.0 * (p - yi) * p * (1.0 - p);
            }
            if (sd) {
                double q = teacher[i];
                value += lambdaSd * (LinearRepModel.softplus(zi) - q * zi);
                dz += lambdaSd * (p - q);
            }
            dz /= n;
            gradB += dz;
            double[] xi = x[i];
            for (int j = 0; j < d; j++) {
                u[j] += dz * xi[j];
            }
        }
        value /= n;

        double[][] gw = new double[k][d];
        double[] gv = new double[k];
        for (int r = 0; r < k; r++) {
            double[] row = model.w[r];
            double[] g = gw[r];
            double vr = model.v[r];
            for (int j = 0; j < d; j++) {
                g[j] = vr * u[j] + weightDecay * row[j];
            }
            gv[r] = LinearRepModel.dot(row, u) + weightDecay * vr;
            value += 0.5 * weightDecay * (LinearRepModel.dot(row, row) + vr * vr);
        }
        if (lambdaOc != 0.0) {
            value += lambdaOc * addOrthogonalityGradient(model.w, gw, lambdaOc);
        }
        return new Result(value, gw, gv, gradB);
    }

    /**
     * Adds λ · ∂‖W Wᵀ − I‖_F/∂W = λ · 2 (W Wᵀ − I) W / ‖W Wᵀ − I‖_F to {@code grad} and returns the norm.
     * At the exact minimum (norm 0) the subgradient 0 is used.
     */
    static double addOrthogonalityGradient(double[][] w, double[][] grad, double lambda) {
        int k = w.length;
        double[][] a = gramMinusIdentity(w);
        double sq = 0.0;
        for (double[] row : a) {
            for (double e : row) {
                sq += e * e;
            }
        }
        double norm = Math.sqrt(sq);
        if (norm == 0.0 || grad == null) {
            return norm;
        }
        double c = 2.0 * lambda / norm;
        int d = w[0].length;
        for (int r = 0; r < k; r++) {
            double[] g = grad[r];
            for (int s = 0; s < k; s++) {
                double f = c * a[r][s];
                if (f == 0.0) {
                    continue;
                }
                double[] ws = w[s];
                for (int j = 0; j < d; j++) {
                    g[j] += f * ws[j];
                }
            }
        }
        return norm;
    }

    /** W Wᵀ − I (k×k, symmetric). */
    static double[][] gramMinusIdentity(double[][] w) {
        int k = w.length;
        double[][] a = new double[k][k];
        for (int r = 0; r < k; r++) {
            for (int s = r; s < k; s++) {
                double g = LinearRepModel.dot(w[r], w[s]) - (r == s ? 1.0 : 0.0);
                a[r][s] = g;
                a[s][r] = g;
            }
        }
        return a;
    }

    /** ‖W Wᵀ − I‖_F. */
    public static double orthogonalityGap(double[][] w) {
        return addOrthogonalityGradient(w, null, 0.0);
    }
}
