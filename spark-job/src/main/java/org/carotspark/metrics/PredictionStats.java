package org.carotspark.metrics;


import java.io.Serializable;
import java.util.TreeMap;

/**
 * Mergeable sufficient statistics of a set of predictions at one temperature: top-1 and top-k
 * counts, Σ NLL, Σ Brier, one {@link CalibrationBins} per configured equal-width bin count and,
 * when kept, the {@link EqualMassBins} pairs. Executors fill one per partition and group; the driver
 * merges them, so every metric is the single-pass metric of the whole split. Counts are integers and
 * the sums {@link FixedPointSum}s, so partitions merged in any order give bit-identical metrics.
 *
 * <p>A prediction is a probability vector over the (projected) label space. Top-1 is the arg max,
 * ties going to the lowest class index; the label is in the top k when fewer than k classes rank
 * before it (higher probability, or equal probability and a lower index), so top-1 agrees with it.
 * Rows whose label has no place in the label space (−1, e.g. an ObjectNet folder outside the mapped
 * classes) are counted as excluded and enter no metric. A plain class: Kryo cannot write records.
 */
public final class PredictionStats implements Serializable {

    private static final long serialVersionUID = 1L;

    /** NLL held to 2^−33 per prediction; a single NLL may reach 2^31. */
    private static final int NLL_BITS = 32;
    /** A Brier term lies in [0, 2]. */
    private static final int BRIER_BITS = 61;

    private long excluded;
    private long top1Correct;
    private long topKCorrect;
    private long infiniteNll;
    private final FixedPointSum sumNll = new FixedPointSum(NLL_BITS);
    private final FixedPointSum sumBrier = new FixedPointSum(BRIER_BITS);
    private final CalibrationBins[] equalWidth;
    private final EqualMassBins equalMass;

    /** @param keepEqualMass keep the (confidence, correct) pairs for the equal-mass ECE */
    public PredictionStats(MetricSettings settings, boolean keepEqualMass) {
        int[] bins = settings.eceBins();
        equalWidth = new CalibrationBins[bins.length];
        for (int i = 0; i < bins.length; i++) {
            equalWidth[i] = new CalibrationBins(bins[i]);
        }
        equalMass = keepEqualMass ? new EqualMassBins() : null;
    }

    /** One prediction given as logits, scored at {@code temperature} (softmax of logits / T, in double). */
    public void addLogits(float[] logits, double temperature, int label) {
        double[] d = new double[logits.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = logits[j];
        }
        addLogits(d, temperature, label);
    }

    /** As {@link #addLogits(float[], double, int)} for double-precision logits. */
    public void addLogits(double[] logits, double temperature, int label) {
        if (label < 0) {
            excluded++;
            return;
        }
        double[] z = scaled(logits, temperature);
        double max = max(z);
        double sum = sumExp(z, max);
        double[] p = softmax(z, max, sum);
        checkLabel(label, p.length);
        add(p, z[label] - max - Math.log(sum), label);
    }

    /** softmax(logits / T) in double, exactly as the statistics score a prediction. */
    public static double[] probabilities(float[] logits, double temperature) {
        double[] d = new double[logits.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = logits[j];
        }
        return probabilities(d, temperature);
    }

    /** As {@link #probabilities(float[], double)} for double-precision logits. */
    public static double[] probabilities(double[] logits, double temperature) {
        double[] z = scaled(logits, temperature);
        double max = max(z);
        return softmax(z, max, sumExp(z, max));
    }

    /** The predicted class: the arg max, ties going to the lowest index. */
    public static int topLabel(double[] p) {
        int argmax = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[argmax]) {
                argmax = j;
            }
        }
        return argmax;
    }

    private static double[] scaled(double[] logits, double temperature) {
        double[] z = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            z[j] = logits[j] / temperature;
        }
        return z;
    }

    private static double max(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double sumExp(double[] z, double max) {
        double sum = 0.0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return sum;
    }

    private static double[] softmax(double[] z, double max, double sum) {
        double[] p = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            p[j] = Math.exp(z[j] - max) / sum;
        }
        return p;
    }

    /** One prediction given as probabilities (validated by the caller); NLL = −log p_label, +∞ when p_label = 0. */
    public void addProbabilities(double[] probabilities, int label) {
        if (label < 0) {
            excluded++;
            return;
        }
        checkLabel(label, probabilities.length);
        add(probabilities, Math.log(probabilities[label]), label);
    }

    private static void checkLabel(int label, int numClasses) {
        if (label >= numClasses) {
            throw new IllegalArgumentException("label " + label + " outside the " + numClasses + " classes scored");
        }
    }

    private void add(double[] p, double logProbabilityOfLabel, int label) {
        int argmax = topLabel(p);
        int ahead = 0;
        double brier = 0.0;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > p[label] || (p[j] == p[label] && j < label)) {
                ahead++;
            }
            double d = p[j] - (j == label ? 1.0 : 0.0);
            brier += d * d;
        }
        boolean correct = argmax == label;
        top1Correct += correct ? 1 : 0;
        topKCorrect += ahead < MetricSettings.TOP_K ? 1 : 0;
        if (logProbabilityOfLabel == Double.NEGATIVE_INFINITY) {
            infiniteNll++;
        } else {
            sumNll.add(-logProbabilityOfLabel);
        }
        sumBrier.add(brier);
        double confidence = p[argmax];
        for (CalibrationBins b : equalWidth) {
            b.add(confidence, correct);
        }
        if (equalMass != null) {
            equalMass.add(confidence, correct);
        }
    }

    /** Adds {@code other} into this and returns this (a Spark reduce function). */
    public PredictionStats merge(PredictionStats other) {
        if (other.equalWidth.length != equalWidth.length || (other.equalMass == null) != (equalMass == null)) {
            throw new IllegalArgumentException("cannot merge statistics of different metric settings");
        }
        excluded += other.excluded;
        top1Correct += other.top1Correct;
        topKCorrect += other.topKCorrect;
        infiniteNll += other.infiniteNll;
        sumNll.merge(other.sumNll);
        sumBrier.merge(other.sumBrier);
        for (int i = 0; i < equalWidth.length; i++) {
            equalWidth[i].merge(other.equalWidth[i]);
        }
        if (equalMass != null) {
            equalMass.merge(other.equalMass);
        }
        return this;
    }

    /** Predictions scored (excluded rows not counted). */
    public long count() {
        return equalWidth[0].total();
    }

    public long excluded() {
        return excluded;
    }

    /** The equal-width bins of the headline bin count. */
    public CalibrationBins headlineBins() {
        return equalWidth[0];
    }

    /** Mean NLL; +∞ when some prediction gave its label probability 0. */
    public double meanNll() {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        return infiniteNll > 0 ? Double.POSITIVE_INFINITY : sumNll.value() / n;
    }

    /**
     * Every metric; the equal-mass ECE is NaN when the pairs were not kept, the reference's per-batch ECE is NaN
     * (it depends on the predictions' order: {@link ReferenceBatchEce}, {@link Metrics#withEceReference}).
     */
    public Metrics metrics(MetricSettings settings) {
        long n = count();
        TreeMap<Integer, Double> eceByBins = new TreeMap<>();
        for (CalibrationBins b : equalWidth) {
            eceByBins.put(b.numBins(), b.expectedCalibrationError());
        }
        CalibrationBins headline = equalWidth[0];
        double adaptive = equalMass == null ? Double.NaN : equalMass.expectedCalibrationError(settings.adaptiveBins());
        return new Metrics(n, n == 0 ? Double.NaN : (double) top1Correct / n,
                n == 0 ? Double.NaN : (double) topKCorrect / n, headline.expectedCalibrationError(), eceByBins,
                adaptive, headline.maximumCalibrationError(), meanNll(), n == 0 ? Double.NaN : sumBrier.value() / n,
                headline.reliability(), equalMass == null ? Double.NaN : EceBootstrap.standardError(equalMass,
                        headline.numBins(), settings.bootstrapReplicates(), settings.bootstrapSeed()), Double.NaN);
    }
}
