package org.carotspark.train;

import org.carotspark.loss.CarotLossLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.loss.LossTermsSource;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * The minibatch's mean per-example loss after a {@code fit}, for the progress line: the objective layer's own named
 * terms (the CaRot objective reports them per example), else DL4J's score less the regularisation term it adds
 * (½·wd·‖θ‖² over the decayed parameters: on FT's head, logit scale × unit class rows, it dwarfed the cross-entropy,
 * e.g. "loss 79.6" on 10 classes). The score of a fit is taken before its update, so the regularisation term to
 * subtract is the one of the parameters before the fit ({@link #regularizationBeforeFit}).
 */
public final class StepLoss {

    private StepLoss() {
    }

    /** The regularisation term DL4J will add to the next fit's score (0 when the objective names its own terms). */
    public static double regularizationBeforeFit(ComputationGraph g) {
        return g.getOutputLayer(0) instanceof LossTermsSource ? 0.0 : g.calcRegularizationScore(true);
    }

    /** The last fit's loss terms, per example. */
    public static LossTerms afterFit(ComputationGraph g, double regularizationBeforeFit) {
        return g.getOutputLayer(0) instanceof LossTermsSource named ? named.lastTerms()
                : LossTerms.of(List.of(CarotLossLayer.TOTAL), new double[] {g.score() - regularizationBeforeFit});
    }
}
