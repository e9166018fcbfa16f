package org.carotspark.model;

import org.carotspark.model.backprop.BlockWeights;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SameDiff pieces shared by the ViT and the text transformer, written to match OpenAI CLIP's
 * {@code ResidualAttentionBlock} exactly (pre-LN, packed QKV with biases, an MLP of width 4W with QuickGELU or
 * GELU: {@link MlpActivation}).
 *
 * <p>Activations stay 2-D {@code [B*T, W]} between blocks. Weight matrices are stored for
 * {@code x·W} (PyTorch's {@code Linear.weight} transposed): qkv {@code [W,3W]} (columns q|k|v),
 * out {@code [W,W]}, fc {@code [W,4W]}, proj {@code [4W,W]}. Gains/biases are {@code [1,W]} and
 * declared as DL4J "bias" parameters, so the bias regularisation (none) applies to them.
 * Parameter names carry no underscore (DL4J splits gradient keys at the last underscore).
 */
final class TransformerBlocks {

    /** PyTorch LayerNorm epsilon used by CLIP. */
    static final double LN_EPS = 1e-5;
    /** Additive mask value for disallowed attention (CLIP uses -inf; exp underflows to 0 either way). */
    static final double MASKED = -1e9;

    private TransformerBlocks() {
    }

    static String p(int block, String name) {
        return "b" + block + name;
    }

    /** Per block, in this order: ln1 (g, b), qkv (W, b), out (W, b), ln2 (g, b), fc (W, b), proj (W, b). */
    static void defineBlockParams(SDLayerParams params, int layers, int width) {
        for (int i = 0; i < layers; i++) {
            defineLayerNorm(params, p(i, "ln1"), width);
            defineLinear(params, p(i, "qkv"), width, 3L * width);
            defineLinear(params, p(i, "out"), width, width);
            defineLayerNorm(params, p(i, "ln2"), width);
            defineLinear(params, p(i, "fc"), width, 4L * width);
            defineLinear(params, p(i, "proj"), 4L * width, width);
        }
    }

    /** CLIP's text-transformer initialisation (used for both towers): attn W^-½, out/proj W^-½(2L)^-½, fc (2W)^-½. */
    static void initBlockParams(Map<String, INDArray> params, int layers, int width, long seed, String owner) {
        double attnStd = Math.pow(width, -0.5);
        double projStd = attnStd * Math.pow(2.0 * Math.max(layers, 1), -0.5);
        double fcStd = Math.pow(2.0 * width, -0.5);
        for (int i = 0; i < layers; i++) {
            initLayerNorm(params, p(i, "ln1"));
            initLinear(params, p(i, "qkv"), attnStd, seed, owner);
            initLinear(params, p(i, "out"), projStd, seed, owner);
            initLayerNorm(params, p(i, "ln2"));
            initLinear(params, p(i, "fc"), fcStd, seed, owner);
            initLinear(params, p(i, "proj"), projStd, seed, owner);
        }
    }

    /** LayerNorm gain {@code <prefix>g} and bias {@code <prefix>b}, both {@code [1, W]}. */
    private static void defineLayerNorm(SDLayerParams params, String prefix, int width) {
        params.addBiasParam(prefix + "g", 1, width);
        params.addBiasParam(prefix + "b", 1, width);
    }

    /** Linear weight {@code <prefix>W [in, out]} (for x·W) and bias {@code <prefix>b [1, out]}. */
    private static void defineLinear(SDLayerParams params, String prefix, long in, long out) {
        params.addWeightParam(prefix + "W", in, out);
        params.addBiasParam(prefix + "b", 1, out);
    }

    /** Gain 1, bias 0. */
    private static void initLayerNorm(Map<String, INDArray> params, String prefix) {
        ParamInit.constant(params.get(prefix + "g"), 1.0);
        ParamInit.constant(params.get(prefix + "b"), 0.0);
    }

    /** Weight N(0, std²) from its own (seed, owner, name) stream, bias 0. */
    private static void initLinear(Map<String, INDArray> params, String prefix, double std, long seed, String owner) {
        ParamInit.normal(params.get(prefix + "W"), std, seed, owner, prefix + "W");
        ParamInit.constant(params.get(prefix + "b"), 0.0);
    }

    /** Each block's parameters (or gradient views, from a gradient table with the same keys), in order. */
    static List<BlockWeights> blockWeights(Map<String, INDArray> table, int layers) {
        List<BlockWeights> blocks = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            blocks.add(new BlockWeights(table.get(p(i, "ln1g")), table.get(p(i, "ln1b")),
                    table.get(p(i, "qkvW")), table.get(p(i, "qkvb")), table.get(p(i, "outW")), table.get(p(i, "outb")),
                    table.get(p(i, "ln2g")), table.get(p(i, "ln2b")), table.get(p(i, "fcW")), table.get(p(i, "fcb")),
                    table.get(p(i, "projW")), table.get(p(i, "projb"))));
        }
        return blocks;
    }

    /** DL4J's gradient of a layer or vertex: its gradient views, filled in place, under their parameter names. */
    static Gradient gradient(Map<String, INDArray> gradTable) {
        Gradient g = new DefaultGradient();
        gradTable.forEach((name, view) -> g.gradientForVariable().put(name, view));
        return g;
    }

    /** LayerNorm over the last axis of a 2-D {@code [N, W]} input, epsilon 1e-5 as in PyTorch. */
    static SDVariable layerNorm(SDVariable x, SDVariable gain, SDVariable bias) {
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable var = centred.mul(centred).mean(true, 1);
        return centred.mul(var.add(LN_EPS).pow(-0.5)).mul(gain).add(bias);
    }

    /**
     * One pre-LN residual block on {@code x [B*T, W]}: x + attn(ln1(x)); x + mlp(ln2(x)).
     *
     * @param mask additive {@code [T, T]} attention mask (causal for text), or null
     * @param activation the MLP's activation
     */
    static SDVariable residualBlock(SameDiff sd, SDVariable x, Map<String, SDVariable> params, int block,
                                    int seqLen, int width, int heads, SDVariable mask, MlpActivation activation) {
        int dh = width / heads;
        SDVariable h = layerNorm(x, params.get(p(block, "ln1g")), params.get(p(block, "ln1b")));
        SDVariable qkv = h.mmul(params.get(p(block, "qkvW"))).add(params.get(p(block, "qkvb")));
        SDVariable q = splitHeads(qkv.get(SDIndex.all(), SDIndex.interval(0L, (long) width)).mul(1.0 / Math.sqrt(dh)),
                seqLen, heads, dh);
        SDVariable k = splitHeads(qkv.get(SDIndex.all(), SDIndex.interval((long) width, 2L * width)), seqLen, heads, dh);
        SDVariable v = splitHeads(qkv.get(SDIndex.all(), SDIndex.interval(2L * width, 3L * width)), seqLen, heads, dh);
        SDVariable scores = sd.mmul(q, k, false, true, false);                     // [B*H, T, T]
        if (mask != null) {
            scores = scores.add(mask);
        }
        SDVariable attn = sd.nn.softmax(scores, 2);
        SDVariable ctx = sd.mmul(attn, v)                                            // [B*H, T, dh]
                .reshape(-1, heads, seqLen, dh).permute(0, 2, 1, 3).reshape(-1, width);
        x = x.add(ctx.mmul(params.get(p(block, "outW"))).add(params.get(p(block, "outb"))));

        SDVariable m = layerNorm(x, params.get(p(block, "ln2g")), params.get(p(block, "ln2b")));
        m = m.mmul(params.get(p(block, "fcW"))).add(params.get(p(block, "fcb")));
        m = activation.apply(sd, m);
        m = m.mmul(params.get(p(block, "projW"))).add(params.get(p(block, "projb")));
        return x.add(m);
    }

    /** {@code [B*T, W]} columns of one of q/k/v → {@code [B*H, T, dh]}. */
    private static SDVariable splitHeads(SDVariable x, int seqLen, int heads, int dh) {
        return x.reshape(-1, seqLen, heads, dh).permute(0, 2, 1, 3).reshape(-1, seqLen, dh);
    }
}
