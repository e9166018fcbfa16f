package org.carotspark.model;

import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.List;

/**
 * What a training objective puts on top of CLIP: the projection penalties the head evaluates, and
 * the output layer that turns the head's output ({@link ClipProjectionHead}'s layout) and the labels
 * into the loss. Defined here so the model does not depend on any particular objective.
 */
public interface ClipLoss {

    List<ProjectionPenalty> penalties();

    /** A DL4J output layer whose input is the head's output for a model of embedding width {@code embedDim}. */
    Layer outputLayer(int embedDim);
}
