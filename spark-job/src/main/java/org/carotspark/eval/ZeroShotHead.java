package org.carotspark.eval;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.ClipEncoders;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.minibatch.CaptionSampler;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

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
    /** Per-class bias added to the logits (a fine-tuned classifier's), or null. */
    private final float[] bias;
    /** The class matrix as an INDArray, built once per executor JVM copy, not per batch. */
    private transient INDArray classMatrix;

    ZeroShotHead(float[] classEmbeddings, int numClasses, int dim, double logitScale) {
        this(classEmbeddings, numClasses, dim, logitScale, null);
    }

    private ZeroShotHead(float[] classEmbeddings, int numClasses, int dim, double logitScale, float[] bias) {
        this.classEmbeddings = classEmbeddings;
        this.numClasses = numClasses;
        this.dim = dim;
        this.logitScale = logitScale;
        this.bias = bias;
    }

    /**
     * Any linear head on normalised image features, logits = logitScale · f̂ · rowsᵀ: e.g. a fine-tuned
     * classifier's weights (logit scale 1), which need not have unit rows.
     */
    public static ZeroShotHead linear(float[] rows, int numClasses, int dim, double logitScale) {
        if (rows.length != (long) numClasses * dim) {
            throw new IllegalArgumentException(rows.length + " weights for " + numClasses + " x " + dim);
        }
        return new ZeroShotHead(rows.clone(), numClasses, dim, logitScale);
    }

    /** As {@link #linear(float[], int, int, double)} plus a per-class {@code bias} on the logits (null: none). */
    public static ZeroShotHead linear(float[] rows, int numClasses, int dim, double logitScale, float[] bias) {
        if (bias != null && bias.length != numClasses) {
            throw new IllegalArgumentException(bias.length + " biases for " + numClasses + " classes");
        }
        ZeroShotHead h = linear(rows, numClasses, dim, logitScale);
        return new ZeroShotHead(h.classEmbeddings, numClasses, dim, logitScale, bias == null ? null : bias.clone());
    }

    /** The head computed in this JVM (the {@code zeroshot-head} command; tests). */
    public static ZeroShotHead build(ComputationGraph graph, CaptionTokenizer tokenizer, List<String> classNames,
                                     List<String> templates, int batchSize) {
        float[] embeddings = classEmbeddings(graph, tokenizer, classNames, templates, batchSize);
        return new ZeroShotHead(embeddings, classNames.size(), embeddings.length / classNames.size(),
                ClipEncoders.logitScale(graph));
    }

    /**
     * The head with its prompts encoded on the executors: ImageNet's 1000 classes × 80 templates are
     * 80k text-tower passes, which the driver alone would take minutes for while the executors idle. Each
     * task encodes whole classes, so a class's template average is computed as in {@link #build}.
     */
    public static ZeroShotHead build(JavaSparkContext jsc, Broadcast<ModelSnapshot> model, CaptionTokenizer tokenizer,
                                     List<String> classNames, List<String> templates, int batchSize) {
        int classes = classNames.size();
        List<Integer> indices = IntStream.range(0, classes).boxed().toList();
        int partitions = Math.max(1, Math.min(classes, jsc.defaultParallelism() * 4));
        List<Tuple2<Integer, float[]>> perClass = jsc.parallelize(indices, partitions).mapPartitions(it -> {
            List<Integer> mine = new ArrayList<>();
            it.forEachRemaining(mine::add);
            if (mine.isEmpty()) {
                return List.<Tuple2<Integer, float[]>>of().iterator();
            }
            List<String> names = mine.stream().map(classNames::get).toList();
            float[] e = classEmbeddings(model.value().graph(), tokenizer, names, templates, batchSize);
            int dim = e.length / names.size();
            List<Tuple2<Integer, float[]>> out = new ArrayList<>(names.size());
            for (int i = 0; i < names.size(); i++) {
                out.add(new Tuple2<>(mine.get(i), Arrays.copyOfRange(e, i * dim, (i + 1) * dim)));
            }
            return out.iterator();
        }).collect();
        int dim = perClass.get(0)._2().length;
        float[] embeddings = new float[classes * dim];
        for (Tuple2<Integer, float[]> c : perClass) {
            System.arraycopy(c._2(), 0, embeddings, c._1() * dim, dim);
        }
        return new ZeroShotHead(embeddings, classes, dim, ClipEncoders.logitScale(model.value().graph()));
    }

    /** Unit class embeddings {@code [classes × dim]}, row-major: the mean of the unit prompt features, re-normalised. */
    private static float[] classEmbeddings(ComputationGraph graph, CaptionTokenizer tokenizer, List<String> classNames,
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
        return unitRows(perClass).castTo(DataType.FLOAT).data().asFloat();
    }

    static INDArray unitRows(INDArray x) {
        INDArray norms = x.norm2(1).reshape(x.size(0), 1).addi(1e-12);
        return x.div(norms);
    }

    /** The unit class embeddings {@code [classes × dim]}, row-major (a copy). */
    public float[] classEmbeddings() {
        return classEmbeddings.clone();
    }

    public int dim() {
        return dim;
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
        if (bias != null) {
            logits.addiRowVector(Nd4j.createFromArray(bias));
        }
        return logits.toFloatMatrix();
    }
}
