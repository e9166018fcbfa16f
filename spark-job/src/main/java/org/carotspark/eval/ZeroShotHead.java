package org.carotspark.eval;

import org.carotspark.model.ClipEncoders;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.CaptionSampler;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The zero-shot classifier from the text tower: class embedding = mean over templates of the
 * L2-normalised text features, re-normalised; logits = exp(logit_scale) · f̂ · Cᵀ.
 */
public final class ZeroShotHead implements Serializable {

    private static final long serialVersionUID = 1L;

    private final float[] classEmbeddings; // [numClasses, dim], row-major, unit rows
    private final int numClasses;
    private final int dim;
    private final double logitScale;
    /** The class matrix as an INDArray, built once per executor JVM copy, not per batch. */
    private transient INDArray classMatrix;

    ZeroShotHead(float[] classEmbeddings, int numClasses, int dim, double logitScale) {
        this.classEmbeddings = classEmbeddings;
        this.numClasses = numClasses;
        this.dim = dim;
        this.logitScale = logitScale;
    }

    public static ZeroShotHead build(ComputationGraph graph, CaptionTokenizer tokenizer, List<String> classNames,
                                     List<String> templates, int batchSize) {
        List<String> texts = new ArrayList<>(classNames.size() * templates.size());
        for (String name : classNames) {
            for (String t : templates) {
                texts.add(CaptionSampler.fill(t, name));
            }
        }
        List<INDArray> chunks = new ArrayList<>();
        for (int start = 0; start < texts.size(); start += batchSize) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batchSize));
            chunks.add(unitRows(ClipEncoders.encodeText(graph, TokenIds.batch(tokenizer, chunk)).castTo(
                    DataType.DOUBLE)));
        }
        // One concatenation at the end: stacking per chunk would copy all earlier rows every time.
        INDArray features = Nd4j.concat(0, chunks.toArray(new INDArray[0]));
        int dim = (int) features.size(1);
        INDArray perClass = features.reshape('c', classNames.size(), templates.size(), dim).mean(1);
        INDArray unit = unitRows(perClass);
        return new ZeroShotHead(unit.castTo(DataType.FLOAT).data().asFloat(),
                classNames.size(), dim, ClipEncoders.logitScale(graph));
    }

    static INDArray unitRows(INDArray x) {
        INDArray norms = x.norm2(1).reshape(x.size(0), 1).addi(1e-12);
        return x.div(norms);
    }

    public int numClasses() {
        return numClasses;
    }

    public double logitScale() {
        return logitScale;
    }

    private synchronized INDArray classMatrix() {
        if (classMatrix == null) {
            classMatrix = Nd4j.create(classEmbeddings, new long[] {numClasses, dim}, 'c');
        }
        return classMatrix;
    }

    /** Logits [B, numClasses] for unnormalised image features [B, dim]. */
    public float[][] logits(INDArray imageFeatures) {
        INDArray f = unitRows(imageFeatures.castTo(DataType.FLOAT));
        INDArray logits = f.mmul(classMatrix().transpose()).muli(logitScale);
        return logits.toFloatMatrix();
    }
}
