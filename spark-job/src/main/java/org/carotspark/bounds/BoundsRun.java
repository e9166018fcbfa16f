package org.carotspark.bounds;

import org.carotspark.eval.Spectrum;
import org.carotspark.ema.EmaMomentumSchedule;
import org.carotspark.seed.Seeds;
import org.carotspark.metrics.ExpectedCalibrationError;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of one Spark task: generate the data of one seed, train one model by full-batch gradient
 * descent (with the EMA teacher when λ_SD > 0), measure it on ID and on every OOD shift.
 * Pure Java, no Spark or native code inside, so it is also what the unit tests drive.
 */
public final class BoundsRun {

    private BoundsRun() {
    }

    /** ID train/test data of one seed; the same for every variant, so variants are compared on paired data. */
    static SyntheticShiftData.Dataset idTrain(BoundsSettings s, int seed) {
        return SyntheticShiftData.generate(s.data(), s.data().trainSize(), 0.0, Seeds.derive(seed, "data/id-train"));
    }

    static SyntheticShiftData.Dataset idTest(BoundsSettings s, int seed) {
        return SyntheticShiftData.generate(s.data(), s.data().testSize(), 0.0, Seeds.derive(seed, "data/id-test"));
    }

    static SyntheticShiftData.Dataset ood(BoundsSettings s, int seed, double shift) {
        return SyntheticShiftData.generate(s.data(), s.data().oodSize(), shift,
                Seeds.derive(seed, "data/ood/" + shift));
    }

    /** Trains the model of {@code spec} on {@code train}. */
    public static LinearRepModel train(BoundsSettings s, RunSpec spec, SyntheticShiftData.Dataset train) {
        LinearRepModel model = LinearRepModel.init(s.repDim(), train.dims(), Seeds.random(spec.seed(), "model/init"));
        LinearRepLoss objective = new LinearRepLoss(s.loss(), spec.lambdaOc(), spec.lambdaSd(), s.weightDecay());
        boolean sd = spec.lambdaSd() != 0.0;
        LinearRepModel teacher = sd ? model.copy() : null;
        double[] targets = null;
        double lr = s.learningRate();
        EmaMomentumSchedule ema = s.ema().schedule(s.steps());
        for (int step = 0; step < s.steps(); step++) {
            if (sd && step > 0 && ema.updateDue(step - 1, step)) {
                teacher.emaToward(model, ema.momentumAt(step));
                targets = teacher.probabilities(train.x());
            }
            LinearRepLoss.Result g = objective.evaluate(model, train.x(), train.y(), targets);
            if (!Double.isFinite(g.loss())) {
                throw new IllegalStateException("training diverged for " + spec.key() + " at step " + step
                        + " (loss " + g.loss() + "); lower carot.bounds.model.learning-rate");
            }
            for (int r = 0; r < model.w.length; r++) {
                double[] row = model.w[r];
                double[] gr = g.gradW()[r];
                for (int j = 0; j < row.length; j++) {
                    row[j] -= lr * gr[j];
                }
                model.v[r] -= lr * g.gradV()[r];
            }
            model.b -= lr * g.gradB();
        }
        return model;
    }

    /** Prediction quality of probabilities p against labels y. */
    record Scores(double mse, double ece, double accuracy) {
    }

    /** MSE = mean (p − y)²; ECE = the project's top-label ECE with confidence max(p, 1−p). */
    static Scores score(double[] p, int[] y, int eceBins) {
        double[] conf = new double[p.length];
        boolean[] correct = new boolean[p.length];
        double mse = 0;
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            mse += (p[i] - y[i]) * (p[i] - y[i]);
            int pred = p[i] >= 0.5 ? 1 : 0;
            conf[i] = Math.max(p[i], 1.0 - p[i]);
            correct[i] = pred == y[i];
            right += correct[i] ? 1 : 0;
        }
        double ece = ExpectedCalibrationError.of(conf, correct, eceBins);
        return new Scores(mse / p.length, ece, right / (double) p.length);
    }

    /** Trains and measures {@code spec}: one row per OOD shift strength. */
    public static List<BoundsRow> execute(BoundsSettings s, RunSpec spec) {
        SyntheticShiftData.Dataset train = idTrain(s, spec.seed());
        LinearRepModel model = train(s, spec, train);
        double sigmaMin = Spectrum.minStandardizedCovarianceSingularValue(model.representations(train.x()));
        double gap = LinearRepLoss.orthogonalityGap(model.w);
        train = null; // the largest array; let it go before the test sets are generated
        SyntheticShiftData.Dataset test = idTest(s, spec.seed());
        Scores id = score(model.probabilities(test.x()), test.y(), s.eceBins());
        test = null;
        double rhs = BoundsFormula.rhs(id.ece(), sigmaMin);
        List<BoundsRow> rows = new ArrayList<>();
        for (double shift : s.shiftStrengths()) {
            SyntheticShiftData.Dataset o = ood(s, spec.seed(), shift);
            Scores od = score(model.probabilities(o.x()), o.y(), s.eceBins());
            rows.add(new BoundsRow(spec.variant().id(), spec.lambdaOc(), spec.lambdaSd(), spec.seed(), shift,
                    sigmaMin, id.ece(), id.mse(), id.accuracy(), od.mse(), od.ece(), od.accuracy(), gap, rhs));
        }
        return rows;
    }
}
