package org.carotspark.loss;

/** A DL4J output layer that reports the named terms of the last loss it computed. */
public interface LossTermsSource {

    /** The terms of the last {@code computeScore}, or null before the first. */
    LossTerms lastTerms();
}
