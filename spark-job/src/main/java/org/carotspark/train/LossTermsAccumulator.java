package org.carotspark.train;

import org.apache.spark.util.AccumulatorV2;
import org.carotspark.loss.LossTerms;

import java.util.List;

/** Sums the objective's named terms over every minibatch fitted on any executor. */
public final class LossTermsAccumulator extends AccumulatorV2<LossTerms, LossTerms> {

    private static final long serialVersionUID = 1L;
    private LossTerms sum = new LossTerms(List.of());

    @Override
    public boolean isZero() {
        return sum.minibatches() == 0;
    }

    @Override
    public AccumulatorV2<LossTerms, LossTerms> copy() {
        LossTermsAccumulator c = new LossTermsAccumulator();
        c.sum = sum.copy();
        return c;
    }

    @Override
    public void reset() {
        sum = new LossTerms(List.of());
    }

    @Override
    public void add(LossTerms terms) {
        sum = sum.merge(terms);
    }

    @Override
    public void merge(AccumulatorV2<LossTerms, LossTerms> other) {
        sum = sum.merge(other.value());
    }

    @Override
    public LossTerms value() {
        return sum;
    }
}
