package org.carotspark.train.collective;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a rank of collective mode needs from the model it trains: the forward pass of its shard up to the outputs
 * that the global-batch objective combines across ranks, and the backward pass from the objective's gradient with
 * respect to those outputs, without a second forward pass. Another graph design plugs in here.
 */
public interface ShardGraph {

    /** The trained graph (parameters, updater and iteration count live there). */
    ComputationGraph graph();

    /** The shard's head outputs, one row per pair, keeping what {@link #backward} needs. */
    INDArray forward(INDArray[] inputs);

    /**
     * The gradient of the loss with respect to every parameter, from {@code headGradient} (the loss's gradient with
     * respect to the rows {@link #forward} returned), as the graph's flat gradient view.
     */
    INDArray backward(INDArray headGradient);
}
