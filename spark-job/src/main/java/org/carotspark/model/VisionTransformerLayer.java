package org.carotspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * CLIP's ViT after the patch-embedding convolution, as one DL4J layer: its parameters and reference definition are
 * SameDiff's ({@link #defineLayer}); what trains is {@link VisionTransformerRuntime}, which runs the forward once and
 * keeps its intermediates for the backward, where DL4J's SameDiff layer would run the whole forward a second time.
 *
 * <p>Input: the convolution output {@code [B, W, G, G]} (NCHW). Tokens are the G·G patches in
 * row-major order, a class token is prepended, the positional embedding added, then ln_pre, the
 * pre-LN residual blocks, and ln_post on the class token. Output {@code [B, W]} (before the visual
 * projection W_v, which the CaRot loss layer owns). Parameters: {@code cls [1,W]}, {@code pos [T,W]}
 * (T = G·G + 1), {@code lnpreg/lnpreb}, the blocks of {@link TransformerBlocks}, {@code lnpostg/lnpostb}.
 */
public class VisionTransformerLayer extends SameDiffLayer {

    private int width;
    private int layers;
    private int heads;
    private int grid;
    private long seed;
    /** QuickGELU unless set: configurations written before the choice existed were QuickGELU. */
    private MlpActivation activation = MlpActivation.QUICK_GELU;

    /** For DL4J's JSON deserialisation. */
    public VisionTransformerLayer() {
    }

    public VisionTransformerLayer(int width, int layers, int heads, int grid, long seed) {
        this(width, layers, heads, grid, seed, MlpActivation.QUICK_GELU);
    }

    public VisionTransformerLayer(int width, int layers, int heads, int grid, long seed, MlpActivation activation) {
        this.activation = activation;
        this.width = width;
        this.layers = layers;
        this.heads = heads;
        this.grid = grid;
        this.seed = seed;
    }

    private int tokens() {
        return grid * grid + 1;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addBiasParam("cls", 1, width);
        params.addBiasParam("pos", tokens(), width);
        params.addBiasParam("lnpreg", 1, width);
        params.addBiasParam("lnpreb", 1, width);
        TransformerBlocks.defineBlockParams(params, layers, width);
        params.addBiasParam("lnpostg", 1, width);
        params.addBiasParam("lnpostb", 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        double scale = Math.pow(width, -0.5);
        ParamInit.normal(params.get("cls"), scale, seed, "vit", "cls");
        ParamInit.normal(params.get("pos"), scale, seed, "vit", "pos");
        ParamInit.constant(params.get("lnpreg"), 1.0);
        ParamInit.constant(params.get("lnpreb"), 0.0);
        TransformerBlocks.initBlockParams(params, layers, width, seed, "vit");
        ParamInit.constant(params.get("lnpostg"), 1.0);
        ParamInit.constant(params.get("lnpostb"), 0.0);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        int t = tokens();
        SDVariable x = input.reshape(-1, width, (long) grid * grid).permute(0, 2, 1);   // [B, N, W]
        // [B,1,W] class tokens: a zero slice of x broadcast-added to cls (keeps the batch size dynamic).
        SDVariable cls = x.get(SDIndex.all(), SDIndex.interval(0L, 1L), SDIndex.all()).mul(0.0).add(p.get("cls"));
        x = sd.concat(1, cls, x).add(p.get("pos"));                                       // [B, T, W]
        x = x.reshape(-1, width);
        x = TransformerBlocks.layerNorm(x, p.get("lnpreg"), p.get("lnpreb"));
        for (int i = 0; i < layers; i++) {
            x = TransformerBlocks.residualBlock(sd, x, p, i, t, width, heads, null, activation);
        }
        SDVariable clsOut = x.reshape(-1, t, width).get(SDIndex.all(), SDIndex.point(0), SDIndex.all()); // [B, W]
        SDVariable out = TransformerBlocks.layerNorm(clsOut, p.get("lnpostg"), p.get("lnpostb"));
        return GradientScaleGuard.apply(sd, out, GradientScaleGuard.layerFactor());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        VisionTransformerRuntime layer = new VisionTransformerRuntime(conf, networkDataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /** DL4J's SameDiff execution of {@link #defineLayer}: the reference the runtime's gradients are tested against. */
    Layer instantiateSameDiff(NeuralNetConfiguration conf, int layerIndex, INDArray paramsView,
                              boolean initializeParams, DataType networkDataType) {
        return super.instantiate(conf, null, layerIndex, paramsView, initializeParams, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(width);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null; // takes the convolution's NCHW output as is
    }

    public int getWidth() { return width; }
    public void setWidth(int width) { this.width = width; }
    public int getLayers() { return layers; }
    public void setLayers(int layers) { this.layers = layers; }
    public int getHeads() { return heads; }
    public void setHeads(int heads) { this.heads = heads; }
    public int getGrid() { return grid; }
    public void setGrid(int grid) { this.grid = grid; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public MlpActivation getActivation() { return activation; }
    public void setActivation(MlpActivation activation) { this.activation = activation; }
}
