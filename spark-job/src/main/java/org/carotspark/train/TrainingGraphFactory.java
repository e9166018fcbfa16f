package org.carotspark.train;

import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The one place the training graph is built: CLIP + the objective + AdamW from the training settings.
 * Training, the EMA teacher (the student's own configuration), evaluation and the bench all use it.
 */
public final class TrainingGraphFactory {

    private TrainingGraphFactory() {
    }

    public static ComputationGraph build(ClipModelConfig model, CarotObjective objective, TrainingSettings t) {
        Adam adam = new Adam(t.learningRate(), t.adamBeta1(), t.adamBeta2(), t.adamEpsilon());
        return ClipGraphBuilder.build(model, objective, adam, t.weightDecay(), DataType.FLOAT);
    }
}
