package org.carotspark.bounds;

/**
 * The right-hand side of the error bound as it is computed here.
 *
 * <p>The paper (Oh et al., NeurIPS 2024, §3) bounds both the OOD classification error (MSE of the
 * probability) and the OOD calibration error by a shared right-hand side whose data-dependent ID
 * terms are the ID calibration error and 1/σ_min of the ID input covariance (the input of the
 * classifier head, here the learnt representation h = W x); its remaining terms (complexity,
 * dimension and divergence constants) are the same for every model of this experiment. Following
 * the paper's empirical check (§5.1, Figure 3), the RHS plotted against the OOD errors is
 * <pre>
 *   RHS = ECE_ID + c / σ_min( Cov_ID(h) )
 * </pre>
 * with c = {@code carot.bounds.metrics.rhs-sigma-coefficient} (1 by default). This combination of the
 * paper's terms is our implementation choice, not a constant-exact transcription of the theorem.
 */
public final class BoundsFormula {

    public static final String TEXT = "RHS = ECE_ID + c / sigma_min(Cov_ID(h)),  h = W x (representation fed to the head)";

    private BoundsFormula() {
    }

    public static double rhs(double idEce, double idSigmaMin, double c) {
        return idEce + c / Math.max(idSigmaMin, 1e-12);
    }
}
