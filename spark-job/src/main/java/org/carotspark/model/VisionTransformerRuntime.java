package org.carotspark.model;

import org.carotspark.model.backprop.Linear;
import org.carotspark.model.backprop.RowLayerNorm;
import org.carotspark.model.backprop.ScratchArrays;
import org.carotspark.model.backprop.TransformerStack;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What DL4J runs for a {@link VisionTransformerLayer}: DL4J's SameDiff layer keeps the parameter and gradient views,
 * the forward and backward are {@link TransformerStack}'s. A training forward keeps what the backward needs; the
 * backward uses it once and frees it (if DL4J back-propagates an input it did not just train-forward, the forward
 * is run again first). The SameDiff definition in {@link VisionTransformerLayer#defineLayer} is the reference the
 * tests hold this to.
 */
final class VisionTransformerRuntime extends SameDiffLayer {

    private TransformerStack blocks;
    private RowLayerNorm lnPre;
    private RowLayerNorm lnPost;
    /** The input the kept state was computed from, or null. */
    private INDArray keptFor;

    VisionTransformerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private VisionTransformerLayer spec() {
        return (VisionTransformerLayer) layerConf();
    }

    /** Built on first use: DL4J sets the layer's configuration after constructing it. */
    private TransformerStack blocks() {
        if (blocks == null) {
            VisionTransformerLayer s = spec();
            blocks = new TransformerStack(s.getLayers(), tokens(), s.getHeads(), s.getActivation().nonlinearity(),
                    TransformerBlocks.LN_EPS, null);
            lnPre = new RowLayerNorm(TransformerBlocks.LN_EPS, blocks.scratch());
            lnPost = new RowLayerNorm(TransformerBlocks.LN_EPS, blocks.scratch());
        }
        return blocks;
    }

    private int tokens() {
        return spec().getGrid() * spec().getGrid() + 1;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return forward(training);
        }
    }

    /** conv output {@code [B, W, G, G]} → class-token feature after ln_post {@code [B, W]}. */
    private INDArray forward(boolean keep) {
        releaseKept();
        int w = spec().getWidth();
        int t = tokens();
        long b = input.size(0);
        ScratchArrays scratch = blocks().scratch();
        scratch.startStep(b);
        INDArray tokens = scratch.take(dataType, b, t, w);
        tokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                .assign(input.reshape('c', b, w, t - 1).permute(0, 2, 1));
        tokens.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0.0)
                .addiRowVector(paramTable.get("cls"));
        tokens.reshape('c', b, (long) t * w).addiRowVector(paramTable.get("pos").reshape('c', 1, (long) t * w));
        INDArray x = lnPre.forward(tokens.reshape('c', b * t, w), paramTable.get("lnpreg"), paramTable.get("lnpreb"),
                keep);
        scratch.give(tokens);
        INDArray y = blocks().forward(x, TransformerBlocks.blockWeights(paramTable, spec().getLayers()), keep);
        INDArray cls = scratch.take(dataType, b, w).assign(y.reshape('c', b, t, w)
                .get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        scratch.give(x, y);
        INDArray out = lnPost.forward(cls, paramTable.get("lnpostg"), paramTable.get("lnpostb"), keep);
        scratch.give(cls);
        keptFor = keep ? input : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (keptFor != input) {
                blocks().scratch().give(forward(true));
            }
            int w = spec().getWidth();
            int t = tokens();
            long b = input.size(0);
            INDArray dCls = lnPost.backward(epsilon, paramTable.get("lnpostg"), gradTable.get("lnpostg"),
                    gradTable.get("lnpostb"));
            ScratchArrays scratch = blocks().scratch();
            INDArray dy = scratch.take(dataType, b * t, w).assign(0.0);
            dy.reshape('c', b, t, w).get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(dCls);
            INDArray dx = blocks().backward(dy, TransformerBlocks.blockWeights(paramTable, spec().getLayers()),
                    TransformerBlocks.blockWeights(gradTable, spec().getLayers()));
            INDArray dRows = lnPre.backward(dx, paramTable.get("lnpreg"), gradTable.get("lnpreg"),
                    gradTable.get("lnpreb"));
            INDArray dTokens = dRows.reshape('c', b, t, w);
            scratch.give(dCls, dy, dx);
            Linear.columnSums(scratch, dRows.reshape('c', b, (long) t * w), gradTable.get("pos"));
            INDArray clsRows = scratch.take(dataType, b, w).assign(dTokens.get(NDArrayIndex.all(),
                    NDArrayIndex.point(0), NDArrayIndex.all()));
            Linear.columnSums(scratch, clsRows, gradTable.get("cls"));
            INDArray dInput = dTokens.get(NDArrayIndex.all(), NDArrayIndex.interval(1, t), NDArrayIndex.all())
                    .permute(0, 2, 1).dup('c').reshape('c', b, w, spec().getGrid(), spec().getGrid());
            scratch.give(dRows, clsRows);
            keptFor = null;
            Gradient g = TransformerBlocks.gradient(gradTable);
            return new Pair<>(g, dInput);
        }
    }

    private void releaseKept() {
        if (blocks != null) {
            blocks.release();
            lnPre.release();
            lnPost.release();
        }
        keptFor = null;
    }

    @Override
    public void clear() {
        releaseKept();
        super.clear();
    }
}
