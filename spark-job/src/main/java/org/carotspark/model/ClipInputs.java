package org.carotspark.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The CLIP graph's input arrays, in {@link ClipGraphBuilder}'s input order. */
public final class ClipInputs {

    private ClipInputs() {
    }

    /**
     * {@code [image, text, textIds]}: images {@code [B,3,S,S]} and the token ids {@code [B,L]} twice — the
     * text transformer takes its own copy (DL4J cannot feed one graph input to two consumers).
     */
    public static INDArray[] of(INDArray images, INDArray ids) {
        return new INDArray[] {images, ids, ids.dup()};
    }
}
