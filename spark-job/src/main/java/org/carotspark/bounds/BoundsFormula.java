package org.carotspark.bounds;

import org.carotspark.eval.Spectrum;

/**
 * The right-hand side of the paper's error bound, as its §5.1 evaluates it on synthetic data.
 *
 * <p><b>The theorem</b> (Oh et al., NeurIPS 2024, §3; arXiv 2311.01723 v5–v7). For a binary
 * classifier h with output in [0, 1] that reads a d-dimensional input (here: the representation
 * z = W x fed to the head), both OOD errors share one upper bound:
 * <pre>
 *   ECE_OOD(h)  ≤  ECE_ID(h) + B(d, σ_min(D_ID)) + [ID–OOD discrepancy and finite-sample terms]    (ineq. 1)
 *   MSE_OOD(h)  ≤  the same right-hand side                                                       (ineq. 2)
 * </pre>
 * where MSE = E(h(x) − y)² is the classification error, ECE the calibration error, σ_min(D_ID) the
 * smallest singular value of the covariance of the standardised ID inputs of h, and B grows with d
 * and with 1/σ_min(D_ID). The paper's point is that the model-dependent part of the bound consists of
 * two ID quantities only: ECE_ID and 1/σ_min(D_ID).
 *
 * <p><b>What is computed here</b>, following the paper's §5.1 / Table 1 / Figure 3:
 * <pre>
 *   RHS = ( ECE_ID + 1 / σ_min(D_ID) ) / 2
 * </pre>
 * <ul>
 *   <li>ECE_ID: top-label ECE on the ID test set ({@code carot.bounds.metrics.ece-bins} bins).</li>
 *   <li>σ_min(D_ID): smallest eigenvalue of the sample covariance of the column-standardised ID
 *       training representations z = W x (= their correlation matrix; {@link Spectrum#minStandardizedCovarianceSingularValue}),
 *       the quantity of the paper's Table 1 and Figure 6 ("IᵀI, I standardised representations").
 *       It is the representation's covariance, not the raw input's: the classifier h of the theorem
 *       is the head, whose input is z.</li>
 *   <li>The ½ (an average of the two ID terms) is how the Figure-3 x-axis combines them; being a
 *       positive affine map of ECE_ID + 1/σ_min it leaves every correlation unchanged.</li>
 *   <li>Not computed: the dimension factor (d = k is the same for every model), the discrepancy
 *       between D_ID and D_OOD and the δ / sample-size terms. The paper's plotted RHS is computed from
 *       ID data only; these terms are constant for one (D_ID, D_OOD) pair and every model of this
 *       experiment, so they shift the RHS but cannot change its rank or linear correlation with the
 *       LHS within one OOD set. Across OOD sets of different strength they differ, which is why a
 *       correlation pooled over several shifts is not what the bound predicts.</li>
 * </ul>
 * The plotted combination above follows the description of the paper's Figure 3; its constant B and the
 * divergence term are not transcribed (they are the same for every model of one OOD set).
 */
public final class BoundsFormula {

    public static final String TEXT =
            "RHS = (ECE_ID + 1 / sigma_min(D_ID)) / 2,  D_ID = covariance of the standardised ID representations z = W x";

    /** Smallest σ_min used, so a collapsed representation gives a huge but finite RHS. */
    static final double SIGMA_FLOOR = 1e-12;

    private BoundsFormula() {
    }

    /**
     * @param idEce       ID expected calibration error
     * @param idSigmaMin  σ_min of the standardised ID representation covariance (in [0, 1])
     */
    public static double rhs(double idEce, double idSigmaMin) {
        return 0.5 * (idEce + 1.0 / Math.max(idSigmaMin, SIGMA_FLOOR));
    }
}
