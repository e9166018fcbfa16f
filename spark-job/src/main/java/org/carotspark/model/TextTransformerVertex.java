package org.carotspark.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;

/**
 * CLIP's text transformer after the token embedding, as one DL4J vertex with two inputs (parameters and reference
 * definition SameDiff's, {@link #defineVertex}; what trains is {@link TextTransformerRuntime}):
 * {@code emb [B, L, W]} (the {@code EmbeddingSequenceLayer} output in NWC layout) and {@code ids [B, L]}
 * (a second copy of the token ids; DL4J cannot feed one graph input to two consumers).
 *
 * <p>Positional embedding, causal pre-LN residual blocks, then the feature of the end-of-text token
 * (argmax of the ids, EOT being the largest id) through ln_final. Output {@code [B, W]} before the
 * text projection W_t (owned by the CaRot loss layer). ln_final is applied after pooling, which is the
 * same as CLIP's order because LayerNorm acts per token.
 */
public class TextTransformerVertex extends SameDiffVertex {

    private int width;
    private int layers;
    private int heads;
    private int contextLength;
    private long seed;
    /** QuickGELU unless set: configurations written before the choice existed were QuickGELU. */
    private MlpActivation activation = MlpActivation.QUICK_GELU;

    /** For DL4J's JSON deserialisation. */
    public TextTransformerVertex() {
    }

    public TextTransformerVertex(int width, int layers, int heads, int contextLength, long seed) {
        this(width, layers, heads, contextLength, seed, MlpActivation.QUICK_GELU);
    }

    public TextTransformerVertex(int width, int layers, int heads, int contextLength, long seed, MlpActivation activation) {
        this.activation = activation;
        this.width = width;
        this.layers = layers;
        this.heads = heads;
        this.contextLength = contextLength;
        this.seed = seed;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs("emb", "ids");
        params.addBiasParam("pos", contextLength, width);
        TransformerBlocks.defineBlockParams(params, layers, width);
        params.addBiasParam("lnfg", 1, width);
        params.addBiasParam("lnfb", 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        ParamInit.normal(params.get("pos"), 0.01, seed, "text", "pos");
        TransformerBlocks.initBlockParams(params, layers, width, seed, "text");
        ParamInit.constant(params.get("lnfg"), 1.0);
        ParamInit.constant(params.get("lnfb"), 0.0);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> p,
                                   Map<String, SDVariable> masks) {
        int l = contextLength;
        SDVariable emb = inputs.get("emb");
        SDVariable ids = inputs.get("ids");
        SDVariable x = emb.add(p.get("pos")).reshape(-1, width);                       // [B*L, W]
        SDVariable mask = sd.constant("causalMask", causalMask(l, emb.dataType()));
        for (int i = 0; i < layers; i++) {
            x = TransformerBlocks.residualBlock(sd, x, p, i, l, width, heads, mask, activation);
        }
        // End-of-text pooling: one-hot(argmax ids) · x. The ids carry no gradient.
        SDVariable frozenIds = new StopGradient(sd, ids).outputVariable();
        SDVariable eot = sd.oneHot(frozenIds.argmax(1), l, -1, 1.0, 0.0, emb.dataType());   // [B, L]
        eot = new StopGradient(sd, eot).outputVariable();
        SDVariable pooled = x.reshape(-1, l, width).mul(eot.reshape(-1, l, 1)).sum(1);       // [B, W]
        SDVariable out = TransformerBlocks.layerNorm(pooled, p.get("lnfg"), p.get("lnfb"));
        // DL4J asks every input for a gradient; give the ids a zero-weighted differentiable path.
        out = out.add(ids.sum().mul(0.0));
        return GradientScaleGuard.apply(sd, out, GradientScaleGuard.vertexFactor());
    }

    /** [L, L] additive mask, 0 on and below the diagonal. Built outside any workspace: this runs lazily
     * inside DL4J's first forward pass, and a constant attached to its workspace would be overwritten. */
    static INDArray causalMask(int l, DataType dt) {
        double[][] m = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = i + 1; j < l; j++) {
                m[i][j] = TransformerBlocks.MASKED;
            }
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createFromArray(m).castTo(dt);
        }
    }

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                  boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new TextTransformerRuntime(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    /** DL4J's SameDiff execution of {@link #defineVertex}: the reference the runtime's gradients are tested against. */
    GraphVertex instantiateSameDiff(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                    boolean initializeParams, DataType networkDatatype) {
        return super.instantiate(graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return InputType.feedForward(width);
    }

    @Override
    public TextTransformerVertex clone() {
        TextTransformerVertex v = new TextTransformerVertex(width, layers, heads, contextLength, seed, activation);
        v.setRegularization(getRegularization());
        v.setRegularizationBias(getRegularizationBias());
        v.setUpdater(getUpdater());
        v.setBiasUpdater(getBiasUpdater());
        v.setGradientNormalization(getGradientNormalization());
        v.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
        v.setDataType(getDataType());
        return v;
    }

    public int getWidth() { return width; }
    public void setWidth(int width) { this.width = width; }
    public int getLayers() { return layers; }
    public void setLayers(int layers) { this.layers = layers; }
    public int getHeads() { return heads; }
    public void setHeads(int heads) { this.heads = heads; }
    public int getContextLength() { return contextLength; }
    public void setContextLength(int contextLength) { this.contextLength = contextLength; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public MlpActivation getActivation() { return activation; }
    public void setActivation(MlpActivation activation) { this.activation = activation; }
}
