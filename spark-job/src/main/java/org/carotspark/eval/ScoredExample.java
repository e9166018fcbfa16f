package org.carotspark.eval;

import org.carotspark.metrics.ReferenceBatchEce;
import java.io.Serializable;

/**
 * One evaluated image: its logits in the split's projected label space, its label there (−1 when it
 * has none), its group (IN-C "corruption/severity", else {@link DistributedEvaluator#ALL}) and its source path
 * (with the label, its place in the reference code's class-sorted loader order: {@link ReferenceBatchEce}). A plain
 * class, not a record: Spark's Kryo serializer cannot write record fields.
 */
public final class ScoredExample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] logits;
    private final int label;
    private final String group;
    private final String sourcePath;

    public ScoredExample(float[] logits, int label, String group, String sourcePath) {
        this.logits = logits;
        this.label = label;
        this.group = group;
        this.sourcePath = sourcePath;
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

    public String sourcePath() {
        return sourcePath;
    }
}
