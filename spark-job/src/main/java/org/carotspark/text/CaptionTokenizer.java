package org.carotspark.text;

import java.io.Serializable;

/**
 * Turns a caption into exactly {@link #contextLength()} token ids, CLIP style:
 * {@code [SOT, tokens..., EOT, 0, 0, ...]}. The end-of-text id is the largest id of the
 * vocabulary, so the text tower pools the feature at {@code argmax(ids)}. Serialisable because
 * executors tokenise captions.
 */
public interface CaptionTokenizer extends Serializable {

    /** Exactly {@link #contextLength()} ids; id 0 pads. Over-long captions keep EOT as the last token. */
    int[] encode(String text);

    int contextLength();

    int vocabSize();

    int sotId();

    int eotId();

    /** {@link #encode} as floats, the form the DL4J graph inputs take. */
    default float[] encodeAsFloats(String text) {
        int[] ids = encode(text);
        float[] f = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            f[i] = ids[i];
        }
        return f;
    }
}
