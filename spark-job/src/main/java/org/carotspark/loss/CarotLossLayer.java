package org.carotspark.loss;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CaRot objective (Oh et al., NeurIPS 2024) as DL4J's output layer. It owns the visual
 * projection {@code Wv [visionWidth, D]}, the text projection {@code Wt [textWidth, D]} (no biases,
 * CLIP's {@code x·W} convention) and the learnable log logit scale.
 *
 * <p>Input: {@code [B, visionWidth + textWidth]} = [ViT class feature | text EOT feature] of B
 * matching (image, caption) pairs. Labels: the teacher's soft targets {@code [B, 2B]} =
 * [P_img→txt | P_txt→img] (row i of the second block is the teacher's softmax over images for text i;
 * zeros when λ_SD = 0). With logits_ij = s·⟨f̂_i, ĝ_j⟩, s = exp(clamp(logScale, 0, ln 100)):
 * <pre>
 *   L = ½(CE(logits, diag) + CE(logitsᵀ, diag))                 (L_CLIP, batch means)
 *     + λ_OC · ‖Wvᵀ·Wv − I_D‖_F
 *     + λ_SD · ½ Σ_dir mean_i Σ_j −p^ψ_ij log p^θ_ij
 * </pre>
 * Gram choice: with the {@code x·Wv} convention ({@code Wv ∈ R^{Wv×D}}, D ≤ visionWidth) the paper's
 * {@code Wvᵀ Wv − I} is the D×D Gram, i.e. orthonormal <em>columns</em> (the D output directions).
 * This is the one CaRot's reference code computes on open_clip's {@code visual.proj} (same shape and
 * convention), and the only one that can reach 0 when D < visionWidth (the Wv×Wv Gram has rank ≤ D).
 *
 * <p>DL4J divides an output layer's score (and gradient) by the minibatch size, so the layer returns
 * B·L; the reported {@code score()} is then L. {@code output()} returns the student's own
 * [P_img→txt | P_txt→img] in the label layout, so a teacher graph's output() is the soft target.
 * Log-softmax is hand-written (SameDiff's logSoftmax has no working gradient in M2.1).
 */
public class CarotLossLayer extends SameDiffOutputLayer {

    public static final String PROBS = "carotProbs";
    public static final String PARAM_VISUAL_PROJ = "projv";
    public static final String PARAM_TEXT_PROJ = "projt";
    public static final String PARAM_LOGIT_SCALE = "logitscale";
    /** Upper clamp of the log logit scale: s ≤ 100. */
    public static final double MAX_LOG_SCALE = Math.log(100.0);

    private int visionWidth;
    private int textWidth;
    private int embedDim;
    private double lambdaOc;
    private double lambdaSd;
    private double initLogitScale;
    private long seed;

    /** For DL4J's JSON deserialisation. */
    public CarotLossLayer() {
    }

    public CarotLossLayer(int visionWidth, int textWidth, int embedDim, double lambdaOc, double lambdaSd,
                          double initLogitScale, long seed) {
        this.visionWidth = visionWidth;
        this.textWidth = textWidth;
        this.embedDim = embedDim;
        this.lambdaOc = lambdaOc;
        this.lambdaSd = lambdaSd;
        this.initLogitScale = initLogitScale;
        this.seed = seed;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(PARAM_VISUAL_PROJ, visionWidth, embedDim);
        params.addWeightParam(PARAM_TEXT_PROJ, textWidth, embedDim);
        // A "bias" parameter so it is excluded from weight decay, as in CLIP practice.
        params.addBiasParam(PARAM_LOGIT_SCALE, 1, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        normal(params.get(PARAM_VISUAL_PROJ), Math.pow(visionWidth, -0.5), 1);
        normal(params.get(PARAM_TEXT_PROJ), Math.pow(textWidth, -0.5), 2);
        params.get(PARAM_LOGIT_SCALE).assign(initLogitScale);
    }

    private void normal(INDArray view, double std, int salt) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL * salt + 17);
        double[] v = new double[Math.toIntExact(view.length())];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * std;
        }
        view.assign(Nd4j.createFromArray(v).reshape(view.ordering(), view.shape()).castTo(view.dataType()));
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> p) {
        org.carotspark.model.SameDiffStdoutFilter.install();
        SDVariable wv = p.get(PARAM_VISUAL_PROJ);
        SDVariable wt = p.get(PARAM_TEXT_PROJ);
        SDVariable imageFeat = input.get(SDIndex.all(), SDIndex.interval(0L, (long) visionWidth)).mmul(wv);
        SDVariable textFeat = input.get(SDIndex.all(), SDIndex.interval((long) visionWidth, (long) visionWidth + textWidth))
                .mmul(wt);
        SDVariable f = imageFeat.div(imageFeat.norm2(true, 1));                          // [B, D]
        SDVariable g = textFeat.div(textFeat.norm2(true, 1));                            // [B, D]
        SDVariable scale = sd.math.exp(sd.math.clipByValue(p.get(PARAM_LOGIT_SCALE), 0.0, MAX_LOG_SCALE));
        SDVariable logits = sd.mmul(f, g, false, true, false).mul(scale);                // [B, B] image × text

        // Hand-rolled log-softmax; the max shift is a constant for the gradient.
        SDVariable rowMax = new StopGradient(sd, logits.max(true, 1)).outputVariable();
        SDVariable rowLse = sd.math.log(sd.math.exp(logits.sub(rowMax)).sum(true, 1)).add(rowMax);   // [B, 1]
        SDVariable colMax = new StopGradient(sd, logits.max(true, 0)).outputVariable();
        SDVariable colLse = sd.math.log(sd.math.exp(logits.sub(colMax)).sum(true, 0)).add(colMax);   // [1, B]
        SDVariable logpImageToText = logits.sub(rowLse);                                 // row i: over texts
        SDVariable logpTextToImage = sd.transpose(logits.sub(colLse));                   // row i: text i over images
        SDVariable logp = sd.concat(1, logpImageToText, logpTextToImage);                // [B, 2B]
        sd.math.exp(PROBS, logp);

        // Everything below is B × (per-example mean) because DL4J divides the score by B.
        SDVariable diagSum = f.mul(g).sum().mul(scale);                                   // Σ_i logits_ii
        SDVariable clipTimesB = rowLse.sum().add(colLse.sum()).mul(0.5).sub(diagSum);
        SDVariable sdTimesB = labels.mul(logp).sum().mul(-0.5);
        SDVariable gram = sd.mmul(wv, wv, true, false, false);                           // Wvᵀ·Wv, [D, D]
        SDVariable eye;
        // defineLayer runs inside DL4J's first forward pass: keep the constant out of its workspace.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            eye = sd.constant("eyeD", Nd4j.eye(embedDim).castTo(gram.dataType()));
        }
        SDVariable diff = gram.sub(eye);
        SDVariable oc = diff.mul(diff).sum().pow(0.5);
        SDVariable batch = input.get(SDIndex.all(), SDIndex.point(0)).mul(0.0).add(1.0).sum();  // B, as a float

        SDVariable loss = clipTimesB
                .add(sdTimesB.mul(lambdaSd))
                .add(oc.mul(batch).mul(lambdaOc));
        sd.setLossVariables(loss);
        return loss;
    }

    @Override
    public String activationsVertexName() {
        return PROBS;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(embedDim);
    }

    public int getVisionWidth() { return visionWidth; }
    public void setVisionWidth(int visionWidth) { this.visionWidth = visionWidth; }
    public int getTextWidth() { return textWidth; }
    public void setTextWidth(int textWidth) { this.textWidth = textWidth; }
    public int getEmbedDim() { return embedDim; }
    public void setEmbedDim(int embedDim) { this.embedDim = embedDim; }
    public double getLambdaOc() { return lambdaOc; }
    public void setLambdaOc(double lambdaOc) { this.lambdaOc = lambdaOc; }
    public double getLambdaSd() { return lambdaSd; }
    public void setLambdaSd(double lambdaSd) { this.lambdaSd = lambdaSd; }
    public double getInitLogitScale() { return initLogitScale; }
    public void setInitLogitScale(double initLogitScale) { this.initLogitScale = initLogitScale; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
}
