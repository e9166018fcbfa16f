package org.carotspark.metrics;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The CaRot reference code's ECE rule ({@code src/models/eval.py}, {@code eval_single_dataset} without
 * {@code --full_eval}): torchmetrics' {@code MulticlassCalibrationError(n_bins=10, norm='l1')} computed on each
 * evaluation batch of {@code batchSize} predictions taken in the loader's order (unshuffled, class-sorted), and
 * reported as {@code Σ_b n_b·ECE_b / N}. Since n_b·ECE_b = Σ_bin |correct − Σ confidence| over the batch's bins, the
 * value is Σ over (batch, bin) of |Σ correct − Σ confidence| / N: per-(batch, bin) sums are all it needs, so the
 * distributed evaluation computes it exactly. It is not the dataset ECE (the headline {@code ece}): with small
 * batches of one or two classes it is biased upwards; it is the number to put beside the paper's tables.
 */
public final class ReferenceBatchEce {

    /** The reference's bin count, whatever {@code carot.eval.ece-bins} says. */
    public static final int BINS = 10;
    /** The reference's evaluation batch size ({@code --batch-size 512} in its scripts). */
    public static final int DEFAULT_BATCH = 512;

    private final int batchSize;
    /** Batch index → that batch's bins. */
    private final SortedMap<Long, CalibrationBins> batches = new TreeMap<>();

    public ReferenceBatchEce(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("reference batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    /** The batch a prediction falls in, given its 0-based rank in the reference's order. */
    public static long batchOf(long rank, int batchSize) {
        return rank / batchSize;
    }

    /** Adds the prediction of 0-based rank {@code rank} in the reference's order. */
    public void add(long rank, double confidence, boolean correct) {
        batches.computeIfAbsent(batchOf(rank, batchSize), b -> new CalibrationBins(BINS)).add(confidence, correct);
    }

    /** One pass over predictions already in the reference's order. */
    public static double of(double[] confidence, boolean[] correct, int batchSize) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException("confidence and correct differ in length: " + confidence.length
                    + " vs " + correct.length);
        }
        ReferenceBatchEce ece = new ReferenceBatchEce(batchSize);
        for (int i = 0; i < confidence.length; i++) {
            ece.add(i, confidence[i], correct[i]);
        }
        return ece.value();
    }

    public double value() {
        return of(batches);
    }

    /** Σ_b n_b·ECE_b / N over batches given by index (summed in index order, so the result is reproducible). */
    public static double of(Map<Long, CalibrationBins> batchBins) {
        long n = 0;
        double weighted = 0.0;
        for (CalibrationBins b : new TreeMap<>(batchBins).values()) {
            long nb = b.total();
            if (nb > 0) {
                weighted += nb * b.expectedCalibrationError();
                n += nb;
            }
        }
        return n == 0 ? Double.NaN : weighted / n;
    }
}
