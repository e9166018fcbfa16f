package org.carotspark.model;

import org.carotspark.model.backprop.Linear;
import org.carotspark.model.backprop.RowLayerNorm;
import org.carotspark.model.backprop.ScratchArrays;
import org.carotspark.model.backprop.TransformerStack;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What DL4J runs for a {@link TextTransformerVertex}: DL4J's SameDiff vertex keeps the parameter and gradient
 * views, the forward and backward are {@link TransformerStack}'s with the causal mask, then end-of-text pooling and
 * ln_final. Kept state is used by one backward and freed, as in {@link VisionTransformerRuntime}.
 */
final class TextTransformerRuntime extends SameDiffGraphVertex {

    private final TextTransformerVertex spec;
    private final TransformerStack blocks;
    private final RowLayerNorm lnFinal;
    private final ScratchArrays scratch;
    /** Row of each example's end-of-text token in the {@code [B·L, W]} rows, from the kept forward. */
    private long[] pooledRows;
    private INDArray keptFor;

    TextTransformerRuntime(TextTransformerVertex spec, ComputationGraph graph, String name, int vertexIndex,
                           INDArray paramsView, boolean initParams, DataType dataType) {
        super(spec, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.spec = spec;
        int l = spec.getContextLength();
        INDArray mask = TextTransformerVertex.causalMask(l, dataType).reshape('c', 1, (long) l * l);
        this.blocks = new TransformerStack(spec.getLayers(), l, spec.getHeads(), spec.getActivation().nonlinearity(),
                TransformerBlocks.LN_EPS, mask);
        this.scratch = blocks.scratch();
        this.lnFinal = new RowLayerNorm(TransformerBlocks.LN_EPS, scratch);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return forward(training);
        }
    }

    /** token embeddings {@code [B, L, W]} and ids {@code [B, L]} → end-of-text feature after ln_final {@code [B, W]}. */
    private INDArray forward(boolean keep) {
        releaseKept();
        int l = spec.getContextLength();
        int w = spec.getWidth();
        INDArray emb = inputs[0];
        long b = emb.size(0);
        scratch.startStep(b);
        INDArray x = scratch.take(dataType, b * l, w);
        x.reshape('c', b, l, w).assign(emb);
        x.reshape('c', b, (long) l * w).addiRowVector(paramTable.get("pos").reshape('c', 1, (long) l * w));
        INDArray y = blocks.forward(x, TransformerBlocks.blockWeights(paramTable, spec.getLayers()), keep);
        scratch.give(x);
        // EOT is the largest id in CLIP's vocabulary: its first position is the pooled token.
        INDArray eot = Nd4j.argMax(inputs[1], 1);
        long[] rows = new long[(int) b];
        for (int i = 0; i < b; i++) {
            rows[i] = (long) i * l + eot.getLong(i);
        }
        eot.close();
        INDArray pooled = scratch.take(dataType, b, w);
        for (int i = 0; i < b; i++) {
            pooled.getRow(i).assign(y.getRow(rows[i]));
        }
        scratch.give(y);
        INDArray out = lnFinal.forward(pooled, paramTable.get("lnfg"), paramTable.get("lnfb"), keep);
        scratch.give(pooled);
        pooledRows = keep ? rows : null;
        keptFor = keep ? inputs[0] : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (keptFor != inputs[0]) {
                scratch.give(forward(true));
            }
            int l = spec.getContextLength();
            int w = spec.getWidth();
            long b = inputs[0].size(0);
            INDArray dPooled = lnFinal.backward(epsilon, paramTable.get("lnfg"), gradTable.get("lnfg"),
                    gradTable.get("lnfb"));
            INDArray dy = scratch.take(dataType, b * l, w).assign(0.0);
            for (int i = 0; i < b; i++) {
                dy.getRow(pooledRows[i]).assign(dPooled.getRow(i));
            }
            INDArray dx = blocks.backward(dy, TransformerBlocks.blockWeights(paramTable, spec.getLayers()),
                    TransformerBlocks.blockWeights(gradTable, spec.getLayers()));
            scratch.give(dPooled, dy);
            Linear.columnSums(scratch, dx.reshape('c', b, (long) l * w), gradTable.get("pos"));
            releaseKept();
            Gradient g = TransformerBlocks.gradient(gradTable);
            // The ids are integers: no gradient flows to them.
            return new Pair<>(g, new INDArray[]{dx.reshape('c', b, l, w), Nd4j.zeros(inputs[1].dataType(),
                    inputs[1].shape())});
        }
    }

    private void releaseKept() {
        blocks.release();
        lnFinal.release();
        pooledRows = null;
        keptFor = null;
    }

    @Override
    public void clearVertex() {
        releaseKept();
        super.clearVertex();
    }
}
