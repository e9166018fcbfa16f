package org.carotspark.eval;

import java.io.Serializable;

/**
 * What the reference-ECE rule needs of one scored prediction: where it sits in the reference's order (group, label,
 * source path) and its top-label confidence and correctness at each evaluated temperature. A plain class: Spark's
 * Kryo serializer cannot write record fields.
 */
public final class ReferenceEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String group;
    private final int label;
    private final String sourcePath;
    private final double[] confidence;
    private final boolean[] correct;

    public ReferenceEntry(String group, int label, String sourcePath, double[] confidence, boolean[] correct) {
        this.group = group;
        this.label = label;
        this.sourcePath = sourcePath;
        this.confidence = confidence;
        this.correct = correct;
    }

    public String group() {
        return group;
    }

    public int label() {
        return label;
    }

    public String sourcePath() {
        return sourcePath;
    }

    /** @param t index of the temperature */
    public double confidence(int t) {
        return confidence[t];
    }

    public boolean correct(int t) {
        return correct[t];
    }
}
