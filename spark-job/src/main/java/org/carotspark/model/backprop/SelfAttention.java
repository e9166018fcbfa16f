package org.carotspark.model.backprop;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product attention over packed {@code [N, 3W]} q|k|v rows ({@code N = B·T}), CLIP's
 * {@code nn.MultiheadAttention} after its input projection. Heads are split once into one {@code [3, B·H, T, dh]}
 * buffer; the scaled queries, keys, values and the attention probabilities are kept for the backward.
 */
final class SelfAttention {

    private final int seqLen;
    private final int heads;
    private final ScratchArrays scratch;
    private INDArray headsQkv;
    private INDArray probs;

    SelfAttention(int seqLen, int heads, ScratchArrays scratch) {
        this.seqLen = seqLen;
        this.heads = heads;
        this.scratch = scratch;
    }

    /** @param mask additive {@code [1, T·T]} mask (causal text attention) or null; returns the context {@code [N, W]}. */
    INDArray forward(INDArray qkv, INDArray mask, boolean keep) {
        DataType type = qkv.dataType();
        long n = qkv.size(0);
        long width = qkv.size(1) / 3;
        long dh = width / heads;
        long batch = n / seqLen;
        long bh = batch * heads;
        INDArray split = scratch.take(type, 3, bh, seqLen, dh);
        split.reshape('c', 3, batch, heads, seqLen, dh)
                .assign(qkv.reshape('c', batch, seqLen, 3, heads, dh).permute(2, 0, 3, 1, 4));
        INDArray q = slice(split, 0);
        q.muli(1.0 / Math.sqrt(dh));
        INDArray scores = scratch.take(type, bh, seqLen, seqLen);
        Nd4j.matmul(q, slice(split, 1), scores, false, true, false);
        if (mask != null) {
            scores.reshape('c', bh, (long) seqLen * seqLen).addiRowVector(mask);
        }
        INDArray p = scratch.take(type, bh, seqLen, seqLen);
        Nd4j.exec(new SoftMax(rows(scores), rows(p), 1));
        INDArray context = scratch.take(type, bh, seqLen, dh);
        Nd4j.matmul(p, slice(split, 2), context, false, false, false);
        INDArray merged = scratch.take(type, n, width);
        merged.reshape('c', batch, seqLen, heads, dh)
                .assign(context.reshape('c', batch, heads, seqLen, dh).permute(0, 2, 1, 3));
        scratch.give(scores, context);
        headsQkv = split;
        probs = p;
        if (!keep) {
            release();
        }
        return merged;
    }

    /** {@code dContext [N, W]} → {@code dqkv [N, 3W]} (with respect to the unscaled queries). */
    INDArray backward(INDArray dContext) {
        DataType type = dContext.dataType();
        long n = dContext.size(0);
        long width = dContext.size(1);
        long dh = width / heads;
        long batch = n / seqLen;
        long bh = batch * heads;
        INDArray dctx = scratch.take(type, bh, seqLen, dh);
        dctx.reshape('c', batch, heads, seqLen, dh)
                .assign(dContext.reshape('c', batch, seqLen, heads, dh).permute(0, 2, 1, 3));
        INDArray grads = scratch.take(type, 3, bh, seqLen, dh);
        Nd4j.matmul(probs, dctx, slice(grads, 2), true, false, false);
        INDArray dp = scratch.take(type, bh, seqLen, seqLen);
        Nd4j.matmul(dctx, slice(headsQkv, 2), dp, false, true, false);
        // softmax backward per row: dS = P ⊙ (dP − Σ_j dP_j·P_j)
        INDArray weighted = scratch.take(type, bh, seqLen, seqLen);
        Nd4j.exec(new MulOp(dp, probs, weighted));
        INDArray rowSums = rows(weighted).sum(true, 1);
        rows(dp).subiColumnVector(rowSums).muli(rows(probs));
        scratch.give(weighted, rowSums, dctx);
        INDArray dq = slice(grads, 0);
        Nd4j.matmul(dp, slice(headsQkv, 1), dq, false, false, false);
        dq.muli(1.0 / Math.sqrt(dh));
        Nd4j.matmul(dp, slice(headsQkv, 0), slice(grads, 1), true, false, false);
        INDArray dqkv = scratch.take(type, n, 3 * width);
        dqkv.reshape('c', batch, seqLen, 3, heads, dh)
                .assign(grads.reshape('c', 3, batch, heads, seqLen, dh).permute(1, 3, 0, 2, 4));
        scratch.give(dp, grads);
        release();
        return dqkv;
    }

    void release() {
        scratch.give(headsQkv, probs);
        headsQkv = null;
        probs = null;
    }

    private static INDArray slice(INDArray stacked, int i) {
        return stacked.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** {@code [B·H, T, T]} as {@code [B·H·T, T]} rows (a view). */
    private static INDArray rows(INDArray scores) {
        return scores.reshape('c', scores.size(0) * scores.size(1), scores.size(2));
    }
}
