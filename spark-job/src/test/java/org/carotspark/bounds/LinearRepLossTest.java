package org.carotspark.bounds;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Central finite differences against the hand-written gradient, with both regularisers and weight decay on. */
class LinearRepLossTest {

    private static final double EPS = 1e-5;

    @ParameterizedTest
    @EnumSource(BoundsSettings.Loss.class)
    void gradientMatchesFiniteDifferences(BoundsSettings.Loss loss) {
        int n = 30;
        int d = 12;
        int k = 4;
        SplittableRandom rng = new SplittableRandom(17);
        double[][] x = new double[n][d];
        int[] y = new int[n];
        double[] teacher = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rng.nextGaussian();
            }
            y[i] = rng.nextBoolean() ? 1 : 0;
            teacher[i] = 0.05 + 0.9 * rng.nextDouble();
        }
        // Scaled-up init so the orthogonality gap, the logits and every term are far from degenerate points.
        LinearRepModel model = LinearRepModel.init(k, d, new SplittableRandom(3));
        for (double[] row : model.w) {
            for (int j = 0; j < d; j++) {
                row[j] *= 1.7;
            }
        }
        model.b = 0.3;
        LinearRepLoss obj = new LinearRepLoss(loss, 0.7, 1.3, 0.05);
        LinearRepLoss.Result g = obj.evaluate(model, x, y, teacher);
        assertTrue(LinearRepLoss.orthogonalityGap(model.w) > 0.5);

        double maxErr = 0;
        double maxGrad = 0;
        for (int r = 0; r < k; r++) {
            for (int j = 0; j < d; j++) {
                double orig = model.w[r][j];
                model.w[r][j] = orig + EPS;
                double up = obj.evaluate(model, x, y, teacher).loss();
                model.w[r][j] = orig - EPS;
                double down = obj.evaluate(model, x, y, teacher).loss();
                model.w[r][j] = orig;
                double fd = (up - down) / (2 * EPS);
                maxErr = Math.max(maxErr, Math.abs(fd - g.gradW()[r][j]));
                maxGrad = Math.max(maxGrad, Math.abs(fd));
            }
            double orig = model.v[r];
            model.v[r] = orig + EPS;
            double up = obj.evaluate(model, x, y, teacher).loss();
            model.v[r] = orig - EPS;
            double down = obj.evaluate(model, x, y, teacher).loss();
            model.v[r] = orig;
            assertEquals((up - down) / (2 * EPS), g.gradV()[r], 1e-7, "dL/dv[" + r + "]");
        }
        double orig = model.b;
        model.b = orig + EPS;
        double up = obj.evaluate(model, x, y, teacher).loss();
        model.b = orig - EPS;
        double down = obj.evaluate(model, x, y, teacher).loss();
        model.b = orig;
        assertEquals((up - down) / (2 * EPS), g.gradB(), 1e-7, "dL/db");
        assertTrue(maxGrad > 1e-3, "the check must see non-trivial gradients");
        assertTrue(maxErr < 1e-7, "max |finite difference − analytic| over W = " + maxErr);
    }

    @ParameterizedTest
    @EnumSource(BoundsSettings.Loss.class)
    void regularisersAddExactlyTheirTerms(BoundsSettings.Loss loss) {
        double[][] x = {{1, 0, 2}, {0, 1, -1}};
        int[] y = {1, 0};
        double[] q = {0.8, 0.3};
        LinearRepModel m = LinearRepModel.init(2, 3, new SplittableRandom(1));
        double base = new LinearRepLoss(loss, 0, 0, 0).evaluate(m, x, y, q).loss();
        double oc = new LinearRepLoss(loss, 0.5, 0, 0).evaluate(m, x, y, q).loss();
        double sd = new LinearRepLoss(loss, 0, 2, 0).evaluate(m, x, y, null).loss();
        assertEquals(0.5 * LinearRepLoss.orthogonalityGap(m.w), oc - base, 1e-12);
        assertEquals(base, sd, 1e-12, "SD is off without teacher targets");
        double[] z = m.logits(x);
        double ce = 0;
        for (int i = 0; i < 2; i++) {
            double p = LinearRepModel.sigmoid(z[i]);
            ce += -q[i] * Math.log(p) - (1 - q[i]) * Math.log(1 - p);
        }
        double withSd = new LinearRepLoss(loss, 0, 2, 0).evaluate(m, x, y, q).loss();
        assertEquals(2 * ce / 2, withSd - base, 1e-12);
    }
}
