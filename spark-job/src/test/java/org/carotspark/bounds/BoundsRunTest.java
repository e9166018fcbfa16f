package org.carotspark.bounds;

import org.carotspark.metrics.ExpectedCalibrationError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundsRunTest {

    private static final BoundsSettings SMALL = BoundsSettings.from(TestConfigs.with(TestConfigs.tinyGrid("unused")));

    @Test
    void eceAndMseOnKnownAnswers() {
        // Binary: confidence = max(p, 1−p), correct = (p ≥ 0.5) == y.
        // p=0.9,y=1 -> conf .9 correct; p=0.2,y=0 -> conf .8 correct; p=0.7,y=0 -> conf .7 wrong; p=0.35,y=0 -> conf .65 correct
        double[] p = {0.9, 0.2, 0.7, 0.35};
        int[] y = {1, 0, 0, 0};
        BoundsRun.Scores s = BoundsRun.score(p, y, 10);
        // bins [i/10, (i+1)/10), an edge in the upper bin: [.6,.7): .65 right -> .35; [.7,.8): .7 wrong -> .7;
        // [.8,.9): .8 right -> .2; [.9,1): .9 right -> .1
        assertEquals((0.35 + 0.7 + 0.2 + 0.1) / 4, s.ece(), 1e-12);
        assertEquals(ExpectedCalibrationError.of(new double[] {0.9, 0.8, 0.7, 0.65},
                new boolean[] {true, true, false, true}, 10), s.ece(), 1e-15);
        assertEquals((0.01 + 0.04 + 0.49 + 0.1225) / 4, s.mse(), 1e-12);
        assertEquals(0.75, s.accuracy(), 0.0);

        // perfectly calibrated: confidence 0.75 everywhere, 3 of 4 right -> ECE 0
        BoundsRun.Scores cal = BoundsRun.score(new double[] {0.75, 0.75, 0.25, 0.25}, new int[] {1, 1, 0, 1}, 10);
        assertEquals(0.0, cal.ece(), 1e-12);
    }

    @Test
    void sameSeedGivesIdenticalRows_otherSeedDoesNot() {
        RunSpec spec = new RunSpec(Variant.BOTH, 0.3, 1.5, 1);
        List<BoundsRow> a = BoundsRun.execute(SMALL, spec);
        List<BoundsRow> b = BoundsRun.execute(SMALL, spec);
        assertEquals(a, b, "records compare every double exactly");
        assertEquals(SMALL.shiftStrengths().size(), a.size());
        List<BoundsRow> other = BoundsRun.execute(SMALL, new RunSpec(Variant.BOTH, 0.3, 1.5, 2));
        assertNotEquals(a.get(0).idSigmaMin(), other.get(0).idSigmaMin());
    }

    @Test
    void orthogonalityKeepsTheRepresentationWellConditioned() {
        BoundsRow plain = BoundsRun.execute(SMALL, new RunSpec(Variant.PLAIN, 0, 0, 1)).get(0);
        BoundsRow sv = BoundsRun.execute(SMALL, new RunSpec(Variant.SV, 1.0, 0, 1)).get(0);
        assertTrue(sv.orthogonalityGap() < plain.orthogonalityGap(),
                "gap " + sv.orthogonalityGap() + " vs " + plain.orthogonalityGap());
        assertTrue(sv.idSigmaMin() > plain.idSigmaMin(), sv.idSigmaMin() + " vs " + plain.idSigmaMin());
        assertEquals(0.5 * (plain.idEce() + 1.0 / plain.idSigmaMin()), plain.rhs(), 1e-12);
        assertTrue(plain.idSigmaMin() > 0 && plain.idSigmaMin() <= 1.0 + 1e-9,
                "standardised σ_min lies in (0, 1]: " + plain.idSigmaMin());
    }

    @Test
    void gridHasEveryVariantStrengthAndSeed() {
        List<RunSpec> grid = RunSpec.grid(SMALL);
        // plain 2 seeds + SV 1×2 + SD 1×2 + both 1×1×2
        assertEquals(8, grid.size());
        assertEquals(8, grid.stream().map(RunSpec::key).distinct().count());
        // The teacher follows the training schedule's momentum ramp, over this experiment's steps.
        assertEquals(SMALL.ema().momentumStart(), SMALL.ema().schedule(SMALL.steps()).momentumAt(0), 1e-12);
        assertEquals(SMALL.ema().momentumEnd(), SMALL.ema().schedule(SMALL.steps()).momentumAt(SMALL.steps() - 1),
                1e-12);
    }
}
