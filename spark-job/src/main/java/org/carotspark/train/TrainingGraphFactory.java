package org.carotspark.train;

import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.WeightDecayPolicy;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The one place the training graph is built: CLIP + the objective + AdamW from the training settings,
 * with the warm-up + cosine schedule inside the updater of every parameter. Training, the EMA teacher
 * (the student's own configuration), evaluation and the bench all use it.
 */
public final class TrainingGraphFactory {

    private TrainingGraphFactory() {
    }

    /**
     * A graph with freshly initialised parameters.
     *
     * @param totalSteps the run's length, which the cosine schedule ends at
     */
    public static ComputationGraph build(ClipModelConfig model, CarotObjective objective, TrainingSettings t,
                                         long totalSteps) {
        ComputationGraph g = new ComputationGraph(configuration(model, objective, t, totalSteps));
        g.init();
        return g;
    }

    /** A graph holding a copy of {@code params}: DL4J's initialisers never run for weights replaced at once. */
    public static ComputationGraph build(ClipModelConfig model, CarotObjective objective, TrainingSettings t,
                                         long totalSteps, INDArray params) {
        ComputationGraph g = new ComputationGraph(configuration(model, objective, t, totalSteps));
        g.init(params.dup(), false);
        return g;
    }

    private static ComputationGraphConfiguration configuration(ClipModelConfig model, CarotObjective objective,
                                                               TrainingSettings t, long totalSteps) {
        Adam adamW = Adam.builder().learningRateSchedule(t.schedule(totalSteps)).beta1(t.adamBeta1())
                .beta2(t.adamBeta2()).epsilon(t.adamEpsilon()).build();
        WeightDecayPolicy decay = t.decayScope() == TrainingSettings.DecayScope.ALL
                ? WeightDecayPolicy.allParameters(t.weightDecay()) : WeightDecayPolicy.matricesOnly(t.weightDecay());
        return ClipGraphBuilder.configuration(model, objective, adamW, decay, DataType.FLOAT);
    }
}
