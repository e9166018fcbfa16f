package org.carotspark.metrics;

/** Top-label ECE of a whole set of predictions in one pass; the reference the distributed path must match. */
public final class ExpectedCalibrationError {

    private ExpectedCalibrationError() {
    }

    public static double of(double[] confidence, boolean[] correct, int numBins) {
        return bins(confidence, correct, numBins).expectedCalibrationError();
    }

    public static CalibrationBins bins(double[] confidence, boolean[] correct, int numBins) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException("confidence and correct differ in length: "
                    + confidence.length + " vs " + correct.length);
        }
        CalibrationBins bins = new CalibrationBins(numBins);
        for (int i = 0; i < confidence.length; i++) {
            bins.add(confidence[i], correct[i]);
        }
        return bins;
    }
}
