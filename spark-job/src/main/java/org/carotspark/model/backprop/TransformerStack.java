package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * A tower's residual blocks, run in order on {@code [B·T, W]} rows. After a forward with {@code keep} the blocks
 * hold what one backward needs; {@link #backward} consumes it, {@link #release} drops it unused.
 */
public final class TransformerStack {

    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final INDArray mask;
    private final ScratchArrays scratch = new ScratchArrays();

    /** @param mask additive {@code [1, T·T]} attention mask shared by every block, or null */
    public TransformerStack(int layers, int seqLen, int heads, MlpNonlinearity nonlinearity, double lnEpsilon,
                            INDArray mask) {
        for (int i = 0; i < layers; i++) {
            blocks.add(new ResidualBlock(seqLen, heads, nonlinearity, lnEpsilon, scratch));
        }
        this.mask = mask;
    }

    /** The pool the blocks allocate from; the tower's own intermediates share it. */
    public ScratchArrays scratch() {
        return scratch;
    }

    /** {@code x} stays the caller's; the result is from {@link #scratch()}. */
    public INDArray forward(INDArray x, List<BlockWeights> weights, boolean keep) {
        INDArray h = x;
        for (int i = 0; i < blocks.size(); i++) {
            INDArray next = blocks.get(i).forward(h, weights.get(i), mask, keep);
            if (h != x) {
                scratch.give(h);
            }
            h = next;
        }
        return h == x ? x.dup() : h;
    }

    /** Gradients into {@code grads}, block by block from the last; {@code dOut} stays the caller's. */
    public INDArray backward(INDArray dOut, List<BlockWeights> weights, List<BlockWeights> grads) {
        INDArray d = dOut;
        for (int i = blocks.size() - 1; i >= 0; i--) {
            INDArray next = blocks.get(i).backward(d, weights.get(i), grads.get(i));
            if (d != dOut) {
                scratch.give(d);
            }
            d = next;
        }
        return d == dOut ? dOut.dup() : d;
    }

    public void release() {
        blocks.forEach(ResidualBlock::release);
    }
}
