package org.carotspark.model;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end of CLIP as open_clip's {@code CLIP.forward} returns it: the visual projection W_v, the
 * text projection W_t and the learnable log logit scale, applied to the two towers' outputs.
 *
 * <p>Input {@code [B, visionWidth + textWidth]} = [ViT class feature | text EOT feature] of B pairs.
 * Output {@code [B, 2D + 1 + P]}: the L2-normalised image features f̂ = x_v·W_v / ‖·‖, the normalised text
 * features ĝ = x_t·W_t / ‖·‖, the logit scale s = exp(clamp(logScale, 0, ln 100)), then the value of each
 * {@link ProjectionPenalty} (the last P columns: the same value on every row). Weights are stored for
 * {@code x·W} as OpenAI's {@code visual.proj} and {@code text_projection} are.
 */
public class ClipProjectionHead extends SameDiffLayer {

    public static final String VISUAL_PROJECTION = "projv";
    public static final String TEXT_PROJECTION = "projt";
    public static final String LOGIT_SCALE = "logitscale";
    /** Upper clamp of the log logit scale: s ≤ 100. */
    public static final double MAX_LOG_SCALE = Math.log(100.0);

    private int visionWidth;
    private int textWidth;
    private int embedDim;
    private double initLogitScale;
    private long seed;
    private List<ProjectionPenalty> penalties = new ArrayList<>();

    /** For DL4J's JSON deserialisation. */
    public ClipProjectionHead() {
    }

    public ClipProjectionHead(ClipModelConfig m, List<ProjectionPenalty> penalties) {
        this.visionWidth = m.visionWidth();
        this.textWidth = m.textWidth();
        this.embedDim = m.embedDim();
        this.initLogitScale = m.initLogitScale();
        this.seed = m.seed();
        this.penalties = new ArrayList<>(penalties);
    }

    /** Output width for an embedding width and a penalty count. */
    public static int outputWidth(int embedDim, int penalties) {
        return 2 * embedDim + 1 + penalties;
    }

    /** Column of the logit scale in the output. */
    public static int scaleColumn(int embedDim) {
        return 2 * embedDim;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(VISUAL_PROJECTION, visionWidth, embedDim);
        params.addWeightParam(TEXT_PROJECTION, textWidth, embedDim);
        // A "bias" parameter, so weight decay treats it as CLIP practice does (not decayed by default).
        params.addBiasParam(LOGIT_SCALE, 1, 1);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        ParamInit.normal(params.get(VISUAL_PROJECTION), Math.pow(visionWidth, -0.5), seed, "head", VISUAL_PROJECTION);
        ParamInit.normal(params.get(TEXT_PROJECTION), Math.pow(textWidth, -0.5), seed, "head", TEXT_PROJECTION);
        ParamInit.constant(params.get(LOGIT_SCALE), initLogitScale);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        SDVariable wv = p.get(VISUAL_PROJECTION);
        SDVariable wt = p.get(TEXT_PROJECTION);
        SDVariable image = input.get(SDIndex.all(), SDIndex.interval(0L, (long) visionWidth)).mmul(wv);
        SDVariable text = input.get(SDIndex.all(), SDIndex.interval((long) visionWidth, (long) visionWidth + textWidth))
                .mmul(wt);
        SDVariable f = image.div(image.norm2(true, 1));                                       // [B, D]
        SDVariable g = text.div(text.norm2(true, 1));                                         // [B, D]
        SDVariable scale = sd.math.exp(sd.math.clipByValue(p.get(LOGIT_SCALE), 0.0, MAX_LOG_SCALE));   // [1, 1]
        // One column of ones keeps the batch size dynamic; per-row copies of scalars ride on it.
        SDVariable ones = input.get(SDIndex.all(), SDIndex.interval(0L, 1L)).mul(0.0).add(1.0);       // [B, 1]
        List<SDVariable> columns = new ArrayList<>(List.of(f, g, ones.mul(scale)));
        for (ProjectionPenalty penalty : penalties) {
            columns.add(ones.mul(penalty.define(sd, wv, wt)));
        }
        SDVariable out = sd.concat(1, columns.toArray(new SDVariable[0]));
        return GradientScaleGuard.apply(sd, out, GradientScaleGuard.layerFactor());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(outputWidth(embedDim, penalties.size()));
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    public int getVisionWidth() { return visionWidth; }
    public void setVisionWidth(int visionWidth) { this.visionWidth = visionWidth; }
    public int getTextWidth() { return textWidth; }
    public void setTextWidth(int textWidth) { this.textWidth = textWidth; }
    public int getEmbedDim() { return embedDim; }
    public void setEmbedDim(int embedDim) { this.embedDim = embedDim; }
    public double getInitLogitScale() { return initLogitScale; }
    public void setInitLogitScale(double initLogitScale) { this.initLogitScale = initLogitScale; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public List<ProjectionPenalty> getPenalties() { return penalties; }
    public void setPenalties(List<ProjectionPenalty> penalties) { this.penalties = new ArrayList<>(penalties); }
}
