package org.carotspark.train.exact;

import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipProjectionHead;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The training graph with its objective replaced by a {@link GivenGradientOutputLayer}: its output is the CLIP
 * head's output [f̂ | ĝ | s | penalties] and its labels are the loss gradient with respect to that output. The
 * parameter vector has the training graph's layout, so the student's (or the teacher's) flat parameters load
 * into it unchanged.
 */
final class FeatureGradientGraph {

    private FeatureGradientGraph() {
    }

    /** The configuration JSON of {@code training}'s feature-gradient graph. */
    static String configurationJson(ComputationGraph training) {
        ComputationGraphConfiguration conf = training.getConfiguration().clone();
        LayerVertex objective = (LayerVertex) conf.getVertices().get(ClipGraphBuilder.OBJECTIVE);
        GivenGradientOutputLayer given = new GivenGradientOutputLayer(headWidth(training));
        given.setLayerName(ClipGraphBuilder.OBJECTIVE);
        objective.getLayerConf().setLayer(given);
        return conf.toJson();
    }

    /** Width of the CLIP head's output [f̂ | ĝ | s | penalties]. */
    static int headWidth(ComputationGraph training) {
        ClipProjectionHead head = (ClipProjectionHead) ((LayerVertex) training.getConfiguration().getVertices()
                .get(ClipGraphBuilder.CLIP_HEAD)).getLayerConf().getLayer();
        return ClipProjectionHead.outputWidth(head.getEmbedDim(), head.getPenalties().size());
    }
}
