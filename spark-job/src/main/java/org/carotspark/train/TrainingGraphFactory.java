package org.carotspark.train;

import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.WeightDecayPolicy;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
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
    public static ComputationGraph build(ClipModelConfig model, CarotLoss objective, TrainingSettings t,
                                         long totalSteps) {
        ComputationGraph g = new ComputationGraph(configuration(model, objective, t, totalSteps));
        g.init();
        return g;
    }

    /** A graph holding a copy of {@code params}: DL4J's initialisers never run for weights replaced at once. */
    public static ComputationGraph build(ClipModelConfig model, CarotLoss objective, TrainingSettings t,
                                         long totalSteps, INDArray params) {
        ComputationGraph g = new ComputationGraph(configuration(model, objective, t, totalSteps));
        g.init(params.dup(), false);
        return g;
    }

    /**
     * CLIP's image tower with a linear classifier (the FT / LP-FT baselines), holding a copy of {@code params} in
     * its own layout; with {@code towerFrozen} only the classifier trains; {@code headBias}: the head has a bias.
     */
    public static ComputationGraph classifier(ClipModelConfig model, int classes, boolean headBias, TrainingSettings t,
                                              long totalSteps, boolean towerFrozen, INDArray params) {
        ComputationGraph g = new ComputationGraph(ClipGraphBuilder.classifierConfiguration(model, classes, headBias,
                adamW(t, totalSteps), decay(t), DataType.FLOAT, towerFrozen));
        g.init(params.dup(), false);
        return g;
    }

    /** The parameter count of {@link #classifier}'s graph. */
    public static long classifierParameterCount(ClipModelConfig model, int classes, boolean headBias) {
        ComputationGraphConfiguration conf = ClipGraphBuilder.classifierConfiguration(model, classes, headBias, new Adam(),
                WeightDecayPolicy.allParameters(0), DataType.FLOAT, false);
        long n = 0;
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                n += layer.getLayerConf().getLayer().initializer().numParams(layer.getLayerConf());
            }
        }
        return n;
    }

    private static ComputationGraphConfiguration configuration(ClipModelConfig model, CarotLoss objective,
                                                               TrainingSettings t, long totalSteps) {
        return ClipGraphBuilder.configuration(model, objective, adamW(t, totalSteps), decay(t), DataType.FLOAT);
    }

    private static Adam adamW(TrainingSettings t, long totalSteps) {
        return Adam.builder().learningRateSchedule(t.schedule(totalSteps)).beta1(t.adamBeta1())
                .beta2(t.adamBeta2()).epsilon(t.adamEpsilon()).build();
    }

    private static WeightDecayPolicy decay(TrainingSettings t) {
        return t.decayScope() == TrainingSettings.DecayScope.ALL
                ? WeightDecayPolicy.allParameters(t.weightDecay()) : WeightDecayPolicy.matricesOnly(t.weightDecay());
    }
}
