package org.carotspark.train;

import org.carotspark.loss.LossTerms;
import org.carotspark.loss.LossTermsSource;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * Adds each fitted minibatch's loss terms to an accumulator. DL4J's Spark training master ships its
 * listeners to the workers with each round, so the terms come back from every executor.
 */
final class LossTermsListener extends BaseTrainingListener implements Serializable {

    private static final long serialVersionUID = 1L;
    private final LossTermsAccumulator terms;

    LossTermsListener(LossTermsAccumulator terms) {
        this.terms = terms;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (model instanceof ComputationGraph g) {
            for (int i = 0; i < g.getNumOutputArrays(); i++) {
                if (g.getOutputLayer(i) instanceof LossTermsSource source) {
                    LossTerms last = source.lastTerms();
                    if (last != null) {
                        terms.add(last);
                    }
                }
            }
        }
    }
}
