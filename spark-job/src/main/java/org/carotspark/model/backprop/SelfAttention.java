package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
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
    private INDArray headsQkv;
    private INDArray probs;

    SelfAttention(int seqLen, int heads) {
        this.seqLen = seqLen;
        this.heads = heads;
    }

    /** @param mask additive {@code [1, T·T]} mask (causal text attention) or null; returns the context {@code [N, W]}. */
    INDArray forward(INDArray qkv, INDArray mask, boolean keep) {
        long n = qkv.size(0);
        long width = qkv.size(1) / 3;
        long dh = width / heads;
        long batch = n / seqLen;
        long bh = batch * heads;
        INDArray split = qkv.reshape('c', batch, seqLen, 3, heads, dh).permute(2, 0, 3, 1, 4).dup('c')
                .reshape('c', 3, bh, seqLen, dh);
        INDArray q = slice(split, 0);
        q.muli(1.0 / Math.sqrt(dh));
        INDArray scores = Nd4j.createUninitialized(qkv.dataType(), bh, seqLen, seqLen);
        Nd4j.matmul(q, slice(split, 1), scores, false, true, false);
        INDArray scoreRows = scores.reshape('c', bh * seqLen, seqLen);
        if (mask != null) {
            scores.reshape('c', bh, (long) seqLen * seqLen).addiRowVector(mask);
        }
        INDArray p = Nd4j.createUninitialized(qkv.dataType(), bh, seqLen, seqLen);
        Nd4j.exec(new SoftMax(scoreRows, p.reshape('c', bh * seqLen, seqLen), 1));
        OwnedArrays.close(scores);
        INDArray context = Nd4j.createUninitialized(qkv.dataType(), bh, seqLen, dh);
        Nd4j.matmul(p, slice(split, 2), context, false, false, false);
        INDArray merged = mergeHeads(context, batch, width, dh);
        OwnedArrays.close(context);
        if (keep) {
            headsQkv = split;
            probs = p;
        } else {
            OwnedArrays.close(split, p);
        }
        return merged;
    }

    /** {@code dContext [N, W]} → {@code dqkv [N, 3W]} (with respect to the unscaled queries). */
    INDArray backward(INDArray dContext) {
        long n = dContext.size(0);
        long width = dContext.size(1);
        long dh = width / heads;
        long batch = n / seqLen;
        long bh = batch * heads;
        INDArray dctx = dContext.reshape('c', batch, seqLen, heads, dh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', bh, seqLen, dh);
        INDArray grads = Nd4j.createUninitialized(dContext.dataType(), 3, bh, seqLen, dh);
        Nd4j.matmul(probs, dctx, slice(grads, 2), true, false, false);
        INDArray dp = Nd4j.createUninitialized(dContext.dataType(), bh, seqLen, seqLen);
        Nd4j.matmul(dctx, slice(headsQkv, 2), dp, false, true, false);
        // softmax backward per row: dS = P ⊙ (dP − Σ_j dP_j·P_j)
        INDArray dpRows = dp.reshape('c', bh * seqLen, seqLen);
        INDArray pRows = probs.reshape('c', bh * seqLen, seqLen);
        INDArray weighted = dpRows.mul(pRows);
        INDArray rowSums = weighted.sum(true, 1);
        dpRows.subiColumnVector(rowSums).muli(pRows);
        OwnedArrays.close(weighted, rowSums, dctx);
        INDArray dq = slice(grads, 0);
        Nd4j.matmul(dp, slice(headsQkv, 1), dq, false, false, false);
        dq.muli(1.0 / Math.sqrt(dh));
        Nd4j.matmul(dp, slice(headsQkv, 0), slice(grads, 1), true, false, false);
        OwnedArrays.close(dp);
        INDArray dqkv = grads.reshape('c', 3, batch, heads, seqLen, dh).permute(1, 3, 0, 2, 4).dup('c')
                .reshape('c', n, 3 * width);
        OwnedArrays.close(grads);
        release();
        return dqkv;
    }

    void release() {
        OwnedArrays.close(headsQkv, probs);
        headsQkv = null;
        probs = null;
    }

    private static INDArray slice(INDArray stacked, int i) {
        return stacked.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** {@code [B·H, T, dh]} → {@code [B·T, W]}. */
    private INDArray mergeHeads(INDArray context, long batch, long width, long dh) {
        return context.reshape('c', batch, heads, seqLen, dh).permute(0, 2, 1, 3).dup('c')
                .reshape('c', batch * seqLen, width);
    }
}
