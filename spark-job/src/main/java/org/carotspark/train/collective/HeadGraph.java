package org.carotspark.train.collective;

import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.train.update.DriverAdamWStep;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The contrastive training graph without its objective: its output is the CLIP head [f̂ | ĝ | s | penalties]. A rank
 * runs the forward pass of its shard once and keeps the activations ({@link #forward}); when the gradient of the
 * global batch's loss with respect to its rows is known, DL4J back-propagates it from there ({@link #backward}) —
 * one forward and one backward per step, as DDP. The objective owns no parameters, so the parameter vector and the
 * AdamW state keep the training graph's layout.
 */
public final class HeadGraph implements ShardGraph {

    private final ComputationGraph graph;

    public HeadGraph(ComputationGraph graph) {
        this.graph = graph;
    }

    /** The configuration JSON of {@code training}'s head graph. */
    public static String configurationJson(ComputationGraph training) {
        ComputationGraphConfiguration conf = training.getConfiguration().clone();
        conf.getVertices().remove(ClipGraphBuilder.OBJECTIVE);
        conf.getVertexInputs().remove(ClipGraphBuilder.OBJECTIVE);
        conf.setNetworkOutputs(new ArrayList<>(List.of(ClipGraphBuilder.CLIP_HEAD)));
        return conf.toJson();
    }

    @Override
    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public INDArray forward(INDArray[] inputs) {
        // Training mode, layer inputs kept: backpropGradient needs them (workspaces are off in these graphs).
        return graph.feedForward(inputs, true, false).get(ClipGraphBuilder.CLIP_HEAD);
    }

    @Override
    public INDArray backward(INDArray headGradient) {
        graph.backpropGradient(headGradient);
        return DriverAdamWStep.gradientView(graph);
    }
}
