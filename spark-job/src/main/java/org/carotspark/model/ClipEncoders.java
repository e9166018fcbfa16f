package org.carotspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * open_clip's {@code encode_image} / {@code encode_text} for a CLIP graph built by {@link ClipGraphBuilder},
 * each computed by a
 * manual forward pass through its own tower only (DL4J's partial {@code output(List, ...)} runs every
 * vertex up to the requested one in topological order, which can include the other tower).
 * Inference mode; the graph's other state is untouched. Not normalised.
 */
public final class ClipEncoders {

    private ClipEncoders() {
    }

    /** Projected image features {@code [B, D]} = ViT(images)·W_v; images {@code [B,3,S,S]}. */
    public static INDArray encodeImage(ComputationGraph g, INDArray images) {
        INDArray tower = imageTower(g, images);
        return tower.mmul(headParam(g, ClipProjectionHead.VISUAL_PROJECTION).castTo(tower.dataType()));
    }

    /** Projected text features {@code [B, D]} = TextTransformer(ids)·W_t; ids {@code [B, L]} as floats. */
    public static INDArray encodeText(ComputationGraph g, INDArray ids) {
        INDArray tower = textTower(g, ids);
        return tower.mmul(headParam(g, ClipProjectionHead.TEXT_PROJECTION).castTo(tower.dataType()));
    }

    /** A parameter of the projection head: W_v, W_t or the log logit scale (a view into the graph). */
    public static INDArray headParam(ComputationGraph g, String name) {
        return g.getLayer(ClipGraphBuilder.CLIP_HEAD).getParam(name);
    }

    /** The ViT output before the projection, {@code [B, visionWidth]}. */
    public static INDArray imageTower(ComputationGraph g, INDArray images) {
        synchronized (g) {
            INDArray patches = forward(g, ClipGraphBuilder.PATCH_EMBED, images.castTo(g.params().dataType()));
            return forward(g, ClipGraphBuilder.VIT, patches);
        }
    }

    /** The text transformer output before the projection, {@code [B, textWidth]}. */
    public static INDArray textTower(ComputationGraph g, INDArray ids) {
        synchronized (g) {
            INDArray typedIds = ids.castTo(g.params().dataType());
            INDArray embedded = forward(g, ClipGraphBuilder.TOKEN_EMBED, typedIds);
            return forward(g, ClipGraphBuilder.TEXT_TRANSFORMER, embedded, typedIds.dup());
        }
    }

    /** One vertex's inference output for the given inputs, leaving the vertex cleared. */
    private static INDArray forward(ComputationGraph g, String vertex, INDArray... inputs) {
        GraphVertex v = g.getVertex(vertex);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        try {
            v.setInputs(inputs);
            if (v instanceof LayerVertex layer) {
                layer.applyPreprocessorAndSetInput(ws);
            }
            return v.doForward(false, ws).detach();
        } finally {
            v.clear();
        }
    }

    /** The current logit scale exp(clamp(log scale, 0, ln 100)). */
    public static double logitScale(ComputationGraph g) {
        double ls = headParam(g, ClipProjectionHead.LOGIT_SCALE).getDouble(0);
        return Math.exp(Math.min(Math.max(ls, 0.0), ClipProjectionHead.MAX_LOG_SCALE));
    }
}
