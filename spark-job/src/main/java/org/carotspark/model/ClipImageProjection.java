package org.carotspark.model;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * The image half of {@link ClipProjectionHead} for image classifiers (the FT / LP-FT baselines): the visual
 * projection W_v applied to the ViT's class feature and L2-normalised, f̂ = x_v·W_v / ‖·‖. The parameter has the
 * head's name, so the value moves between a CLIP graph and a classifier graph unchanged.
 */
public class ClipImageProjection extends SameDiffLayer {

    private int visionWidth;
    private int embedDim;
    private long seed;

    /** For DL4J's JSON deserialisation. */
    public ClipImageProjection() {
    }

    public ClipImageProjection(ClipModelConfig m) {
        this.visionWidth = m.visionWidth();
        this.embedDim = m.embedDim();
        this.seed = m.seed();
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(ClipProjectionHead.VISUAL_PROJECTION, visionWidth, embedDim);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        ParamInit.normal(params.get(ClipProjectionHead.VISUAL_PROJECTION), Math.pow(visionWidth, -0.5), seed, "head",
                ClipProjectionHead.VISUAL_PROJECTION);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        SDVariable image = input.mmul(p.get(ClipProjectionHead.VISUAL_PROJECTION));
        SDVariable f = image.div(image.norm2(true, 1));
        return GradientScaleGuard.apply(sd, f, GradientScaleGuard.layerFactor());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(embedDim);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    public int getVisionWidth() { return visionWidth; }
    public void setVisionWidth(int visionWidth) { this.visionWidth = visionWidth; }
    public int getEmbedDim() { return embedDim; }
    public void setEmbedDim(int embedDim) { this.embedDim = embedDim; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
}
