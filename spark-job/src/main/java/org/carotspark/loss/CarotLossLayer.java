package org.carotspark.loss;

import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.model.SameDiffStdoutFilter;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The CaRot objective (Oh et al., NeurIPS 2024) as DL4J's output layer. It owns no weights: its input
 * is the {@link ClipProjectionHead}'s output [f̂ | ĝ | s | penalties] for B matching (image, caption)
 * pairs, its labels the EMA teacher's soft targets {@code [B, 2B]} = [P_img→txt | P_txt→img] (row i of
 * the second block is the teacher's softmax over images for text i; zeros switch the term off).
 * With logits_ij = s·⟨f̂_i, ĝ_j⟩:
 * <pre>
 *   contrastive  = ½(CE(logits, diag) + CE(logitsᵀ, diag))            (L_CLIP, batch means)
 *   distillation = Σ_dir mean_i Σ_j −p^ψ_ij log p^θ_ij               (both directions summed, as the reference)
 *   L = contrastive + λ_SD·distillation + Σ_k λ_k·penalty_k            (penalty_k from the head's columns)
 * </pre>
 * DL4J divides an output layer's score (and gradient) by the minibatch size, so the layer returns B·L;
 * {@code score()} is then L. {@code output()} returns the student's own [P_img→txt | P_txt→img] in the
 * label layout, so a teacher graph's output() is the soft target. The terms are reported by name after
 * every score ({@link LossTermsSource}). Log-softmax is written out (SameDiff's has no working gradient
 * in DL4J 1.0.0-M2.1).
 */
public class CarotLossLayer extends SameDiffOutputLayer {

    /** The weighted sum of the terms: the loss itself (per-example mean). */
    public static final String TOTAL = "loss";
    public static final String CONTRASTIVE = "contrastive";
    public static final String DISTILLATION = "distillation";
    /** The activations: [P_img→txt | P_txt→img]. */
    public static final String PROBS = "carotProbs";
    static final String TERM_PREFIX = "term";

    private int embedDim;
    private double lambdaSd;
    private List<String> penaltyNames = new ArrayList<>();
    private List<Double> penaltyWeights = new ArrayList<>();

    /** For DL4J's JSON deserialisation. */
    public CarotLossLayer() {
    }

    /** @param penaltyNames the head's penalty columns, in order, weighted by {@code penaltyWeights} */
    public CarotLossLayer(int embedDim, double lambdaSd, List<String> penaltyNames, List<Double> penaltyWeights) {
        if (penaltyNames.size() != penaltyWeights.size()) {
            throw new IllegalArgumentException(penaltyNames + " vs weights " + penaltyWeights);
        }
        this.embedDim = embedDim;
        this.lambdaSd = lambdaSd;
        this.penaltyNames = new ArrayList<>(penaltyNames);
        this.penaltyWeights = new ArrayList<>(penaltyWeights);
    }

    /** The objective layer of a graph built with it. */
    public static CarotLossLayer of(ComputationGraph g) {
        return (CarotLossLayer) ((LayerVertex) g.getConfiguration().getVertices().get(ClipGraphBuilder.OBJECTIVE))
                .getLayerConf().getLayer();
    }

    /** Whether the distillation term is on (it needs the teacher's targets). */
    public boolean distills() {
        return lambdaSd > 0;
    }

    /** Every reported term: the loss itself, contrastive, distillation, then the penalties. */
    public List<String> termNames() {
        return LossTerms.concat(List.of(TOTAL, CONTRASTIVE, DISTILLATION), penaltyNames);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // None: CLIP's parameters belong to the model.
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> p) {
        SameDiffStdoutFilter.install();
        long d = embedDim;
        SDVariable f = input.get(SDIndex.all(), SDIndex.interval(0L, d));                          // [B, D]
        SDVariable g = input.get(SDIndex.all(), SDIndex.interval(d, 2 * d));                      // [B, D]
        int scaleColumn = ClipProjectionHead.scaleColumn(embedDim);
        // Per-row copies of one scalar: their mean (a point index on the batch axis passes no gradient in M2.1).
        SDVariable scale = column(input, scaleColumn).mean(true, 0);                                 // [1, 1]
        SDVariable logits = sd.mmul(f, g, false, true, false).mul(scale);                         // [B, B] image × text

        // Log-softmax over each row (image → texts) and each column (text → images); the max shift
        // is a constant for the gradient.
        SDVariable rowMax = new StopGradient(sd, logits.max(true, 1)).outputVariable();
        SDVariable rowLse = sd.math.log(sd.math.exp(logits.sub(rowMax)).sum(true, 1)).add(rowMax);   // [B, 1]
        SDVariable colMax = new StopGradient(sd, logits.max(true, 0)).outputVariable();
        SDVariable colLse = sd.math.log(sd.math.exp(logits.sub(colMax)).sum(true, 0)).add(colMax);   // [1, B]
        SDVariable logpImageToText = logits.sub(rowLse);
        SDVariable logpTextToImage = sd.transpose(logits.sub(colLse));                             // row i: text i
        SDVariable logp = sd.concat(1, logpImageToText, logpTextToImage);                          // [B, 2B]
        sd.math.exp(PROBS, logp);

        SDVariable batch = input.get(SDIndex.all(), SDIndex.point(0)).mul(0.0).add(1.0).sum();    // B, as a float
        SDVariable diagonal = f.mul(g).sum().mul(scale);                                         // Σ_i logits_ii
        List<SDVariable> terms = new ArrayList<>();
        terms.add(rowLse.sum().add(colLse.sum()).mul(0.5).sub(diagonal).div(batch));
        terms.add(labels.mul(logp).sum().neg().div(batch));
        for (int k = 0; k < penaltyNames.size(); k++) {
            terms.add(column(input, scaleColumn + 1 + k).mean());
        }
        List<Double> weights = new ArrayList<>(List.of(1.0, lambdaSd));
        weights.addAll(penaltyWeights);
        List<String> names = termNames().subList(1, terms.size() + 1);
        SDVariable perExample = null;
        for (int i = 0; i < terms.size(); i++) {
            SDVariable named = sd.identity(TERM_PREFIX + names.get(i), terms.get(i));
            SDVariable weighted = named.mul(weights.get(i));
            perExample = perExample == null ? weighted : perExample.add(weighted);
        }
        SDVariable loss = sd.identity(TERM_PREFIX + TOTAL, perExample).mul(batch);
        sd.setLossVariables(loss);
        return loss;
    }

    private static SDVariable column(SDVariable x, int c) {
        return x.get(SDIndex.all(), SDIndex.interval((long) c, c + 1L));
    }

    /** The SameDiff variable names of the terms, in {@link #termNames()} order. */
    String[] termVariables() {
        return termNames().stream().map(n -> TERM_PREFIX + n).toArray(String[]::new);
    }

    @Override
    public String activationsVertexName() {
        return PROBS;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(ClipProjectionHead.outputWidth(embedDim, penaltyNames.size()));
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        CarotLossRuntimeLayer layer = new CarotLossRuntimeLayer(conf, networkDataType);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        ParamInitializer init = initializer();
        layer.setParamTable(init.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("objective: contrastive + ").append(lambdaSd).append("·distillation");
        for (int k = 0; k < penaltyNames.size(); k++) {
            s.append(" + ").append(penaltyWeights.get(k)).append('·').append(penaltyNames.get(k));
        }
        return s.toString();
    }

    public int getEmbedDim() { return embedDim; }
    public void setEmbedDim(int embedDim) { this.embedDim = embedDim; }
    public double getLambdaSd() { return lambdaSd; }
    public void setLambdaSd(double lambdaSd) { this.lambdaSd = lambdaSd; }
    public List<String> getPenaltyNames() { return penaltyNames; }
    public void setPenaltyNames(List<String> penaltyNames) { this.penaltyNames = new ArrayList<>(penaltyNames); }
    public List<Double> getPenaltyWeights() { return penaltyWeights; }
    public void setPenaltyWeights(List<Double> penaltyWeights) { this.penaltyWeights = new ArrayList<>(penaltyWeights); }
}
