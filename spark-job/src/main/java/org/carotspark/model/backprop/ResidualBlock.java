package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pre-LN residual block on {@code x [B·T, W]}, OpenAI CLIP's {@code ResidualAttentionBlock}:
 * {@code x + attn(ln1(x))}, then {@code + mlp(ln2(·))}.
 */
final class ResidualBlock {

    private final RowLayerNorm ln1;
    private final RowLayerNorm ln2;
    private final SelfAttention attention;
    private final Mlp mlp;
    /** Inputs of the two attention projections, kept for their weight gradients. */
    private INDArray normed;
    private INDArray context;

    private final ScratchArrays scratch;

    ResidualBlock(int seqLen, int heads, MlpNonlinearity nonlinearity, double lnEpsilon, ScratchArrays scratch) {
        this.scratch = scratch;
        this.ln1 = new RowLayerNorm(lnEpsilon, scratch);
        this.ln2 = new RowLayerNorm(lnEpsilon, scratch);
        this.attention = new SelfAttention(seqLen, heads, scratch);
        this.mlp = new Mlp(nonlinearity, scratch);
    }

    INDArray forward(INDArray x, BlockWeights w, INDArray mask, boolean keep) {
        INDArray h = ln1.forward(x, w.ln1Gain(), w.ln1Bias(), keep);
        INDArray qkv = Linear.forward(scratch, h, w.qkvWeight(), w.qkvBias());
        INDArray ctx = attention.forward(qkv, mask, keep);
        scratch.give(qkv);
        INDArray afterAttention = Linear.forward(scratch, ctx, w.outWeight(), w.outBias()).addi(x);
        INDArray m = ln2.forward(afterAttention, w.ln2Gain(), w.ln2Bias(), keep);
        INDArray out = mlp.forward(m, w, keep).addi(afterAttention);
        scratch.give(afterAttention);
        normed = h;
        context = ctx;
        if (!keep) {
            release();
        }
        return out;
    }

    /** Writes this block's parameter gradients into {@code grads}; returns {@code dL/dx}. */
    INDArray backward(INDArray dOut, BlockWeights w, BlockWeights grads) {
        INDArray dm = mlp.backward(dOut, w, grads);
        INDArray dAfterAttention = ln2.backward(dm, w.ln2Gain(), grads.ln2Gain(), grads.ln2Bias()).addi(dOut);
        scratch.give(dm);
        INDArray dctx = Linear.backward(scratch, context, dAfterAttention, w.outWeight(), grads.outWeight(), grads.outBias());
        INDArray dqkv = attention.backward(dctx);
        INDArray dh = Linear.backward(scratch, normed, dqkv, w.qkvWeight(), grads.qkvWeight(), grads.qkvBias());
        scratch.give(dctx, dqkv);
        INDArray dx = ln1.backward(dh, w.ln1Gain(), grads.ln1Gain(), grads.ln1Bias()).addi(dAfterAttention);
        scratch.give(dh, dAfterAttention);
        release();
        return dx;
    }

    void release() {
        ln1.release();
        ln2.release();
        attention.release();
        mlp.release();
        scratch.give(normed, context);
        normed = null;
        context = null;
    }
}
