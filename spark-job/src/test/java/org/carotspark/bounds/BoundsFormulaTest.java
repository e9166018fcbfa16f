package org.carotspark.bounds;

import org.carotspark.eval.Spectrum;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundsFormulaTest {

    @Test
    void knownAnswers() {
        // (0.1 + 1/0.4) / 2 = (0.1 + 2.5) / 2 = 1.3
        assertEquals(1.3, BoundsFormula.rhs(0.1, 0.4), 1e-12);
        // perfectly calibrated, orthonormal (correlation = I) representation: (0 + 1) / 2
        assertEquals(0.5, BoundsFormula.rhs(0.0, 1.0), 0.0);
        // (0.05 + 1/0.25) / 2 = 2.025
        assertEquals(2.025, BoundsFormula.rhs(0.05, 0.25), 1e-12);
    }

    @Test
    void endToEndOnHandComputedRepresentations() {
        // σ_min of the standardised covariance of these rows is 0.4 (see SpectrumTest), ID ECE 0.02:
        // RHS = (0.02 + 2.5) / 2 = 1.26
        double[][] z = {{1, 2}, {2, 1}, {3, 4}, {4, 3}};
        double sigma = Spectrum.minStandardizedCovarianceSingularValue(z);
        assertEquals(1.26, BoundsFormula.rhs(0.02, sigma), 1e-12);
    }

    @Test
    void bothTermsMoveTheRhsTheRightWay() {
        assertTrue(BoundsFormula.rhs(0.2, 0.5) > BoundsFormula.rhs(0.1, 0.5), "higher ID ECE, higher RHS");
        assertTrue(BoundsFormula.rhs(0.1, 0.2) > BoundsFormula.rhs(0.1, 0.5), "smaller σ_min, higher RHS");
    }

    @Test
    void collapsedRepresentationGivesAFiniteHugeRhs() {
        double r = BoundsFormula.rhs(0.1, 0.0);
        assertTrue(Double.isFinite(r) && r > 1e11, "rhs " + r);
    }
}
