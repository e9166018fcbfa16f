package org.carotspark.train;

import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.minibatch.TrainExample;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.List;

/**
 * How a worker turns its examples into one minibatch of the graph being trained, on the executor: image–caption
 * pairs with the EMA teacher's targets for CLIP's objectives ({@link MinibatchBuilder}), images with one-hot labels
 * for the cross-entropy baselines ({@link ClassifierMinibatches}).
 */
public interface Minibatches extends Serializable {

    /** The graph's inputs for {@code examples} in {@code epoch}. */
    INDArray[] inputs(List<TrainExample> examples, int epoch);

    /** The labels of inputs {@code in} built from {@code examples}, trained at global step {@code step}. */
    INDArray labels(INDArray[] in, List<TrainExample> examples, long step, ModelSnapshot teacher);
}
