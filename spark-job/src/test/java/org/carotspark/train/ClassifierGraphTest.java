package org.carotspark.train;

import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.TinyTrainingFixture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The baselines' classifier graph: a linear probe reaches only the head; fine-tuning reaches every parameter. */
class ClassifierGraphTest {

    private final ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());
    private final TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", 1e-2,
            "weight-decay", 0.1, "warmup-steps", 0);

    private List<String> moved(boolean towerFrozen) {
        long n = TrainingGraphFactory.classifierParameterCount(model, 3, false);
        Random r = new Random(4);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.1 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, 3, false, settings, 10, towerFrozen,
                Nd4j.createFromArray(start).reshape(1, n));
        assertEquals(n, g.numParams());
        Map<String, INDArray> before = new java.util.LinkedHashMap<>();
        g.paramTable().forEach((k, v) -> before.put(k, v.dup()));
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        for (int step = 0; step < 2; step++) {
            g.fit(new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels}));
        }
        List<String> moved = new ArrayList<>();
        g.paramTable().forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                moved.add(k);
            }
        });
        assertTrue(Double.isFinite(g.score()));
        return moved;
    }

    @Test
    void aLinearProbeMovesOnlyTheHeadAndFineTuningMovesEveryParameter() {
        assertEquals(List.of("classifier_W"), moved(true), "the probe's frozen tower (and its weight decay) stays put");
        long n = TrainingGraphFactory.classifierParameterCount(model, 3, false);
        ComputationGraph g = TrainingGraphFactory.classifier(model, 3, false, settings, 10, false,
                Nd4j.zeros(DataType.FLOAT, 1, n));
        assertEquals(g.paramTable().keySet().stream().toList(), moved(false), "fine-tuning reaches every parameter");
    }
}
