package org.carotspark.model;

import org.carotspark.loss.CarotLossLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Image and text features from a CLIP graph built by {@link ClipGraphBuilder}, each computed by a
 * manual forward pass through its own tower only (DL4J's partial {@code output(List, ...)} runs every
 * vertex up to the requested one in topological order, which can include the other tower).
 * Inference mode; the graph's other state is untouched. Not normalised.
 */
public final class ClipEncoders {

    private ClipEncoders() {
    }

    /** Projected image features {@code [B, D]} = ViT(images)·W_v; images {@code [B,3,S,S]}. */
    public static INDArray encodeImages(ComputationGraph g, INDArray images) {
        INDArray tower = imageTower(g, images);
        return tower.mmul(g.getLayer(ClipGraphBuilder.LOSS).getParam(CarotLossLayer.PARAM_VISUAL_PROJ)
                .castTo(tower.dataType()));
    }

    /** Projected text features {@code [B, D]} = TextTransformer(ids)·W_t; ids {@code [B, L]} as floats. */
    public static INDArray encodeText(ComputationGraph g, INDArray ids) {
        INDArray tower = textTower(g, ids);
        return tower.mmul(g.getLayer(ClipGraphBuilder.LOSS).getParam(CarotLossLayer.PARAM_TEXT_PROJ)
                .castTo(tower.dataType()));
    }

    /** The ViT output before the projection, {@code [B, visionWidth]}. */
    public static INDArray imageTower(ComputationGraph g, INDArray images) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        synchronized (g) {
            Layer patch = g.getLayer(ClipGraphBuilder.PATCH_EMBED);
            Layer vit = g.getLayer(ClipGraphBuilder.VIT);
            try {
                INDArray x = patch.activate(images.castTo(g.params().dataType()), false, ws);
                return vit.activate(x, false, ws).detach();
            } finally {
                patch.clear();
                vit.clear();
            }
        }
    }

    /** The text transformer output before the projection, {@code [B, textWidth]}. */
    public static INDArray textTower(ComputationGraph g, INDArray ids) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        synchronized (g) {
            Layer embed = g.getLayer(ClipGraphBuilder.TOKEN_EMBED);
            GraphVertex text = g.getVertex(ClipGraphBuilder.TEXT_TRANSFORMER);
            try {
                INDArray typedIds = ids.castTo(g.params().dataType());
                INDArray emb = embed.activate(typedIds, false, ws);
                text.setInputs(emb, typedIds.dup());
                return text.doForward(false, ws).detach();
            } finally {
                embed.clear();
                text.clear();
            }
        }
    }

    /** The current logit scale exp(clamp(log scale, 0, ln 100)). */
    public static double logitScale(ComputationGraph g) {
        double ls = g.getLayer(ClipGraphBuilder.LOSS).getParam(CarotLossLayer.PARAM_LOGIT_SCALE).getDouble(0);
        return Math.exp(Math.min(Math.max(ls, 0.0), CarotLossLayer.MAX_LOG_SCALE));
    }
}
