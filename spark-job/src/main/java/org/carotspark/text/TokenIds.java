package org.carotspark.text;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Captions → the graph's token-id input [B, contextLength] (ids as floats, as DL4J inputs are). */
public final class TokenIds {

    private TokenIds() {
    }

    public static INDArray batch(CaptionTokenizer tokenizer, List<String> texts) {
        float[][] ids = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            int[] row = tokenizer.encode(texts.get(i));
            ids[i] = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                ids[i][j] = row[j];
            }
        }
        return Nd4j.create(ids);
    }
}
