package org.carotspark.eval;

import java.io.Serializable;

/**
 * One evaluated image: its logits in the split's projected label space, its label there (−1 when it
 * has none) and its group (IN-C "corruption/severity", else {@link DistributedEvaluator#ALL}). A plain
 * class, not a record: Spark's Kryo serializer cannot write record fields.
 */
public final class ScoredExample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] logits;
    private final int label;
    private final String group;

    public ScoredExample(float[] logits, int label, String group) {
        this.logits = logits;
        this.label = label;
        this.group = group;
    }

    public float[] logits() {
        return logits;
    }

    public int label() {
        return label;
    }

    public String group() {
        return group;
    }
}
