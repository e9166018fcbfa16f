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

    /**
     * By how much the LP stage moves the head: AdamW's first step moves every head weight by the learning rate η
     * (lr·sign(g)), so a zero-shot head W = s·(unit class rows)ᵀ changes by ‖ΔW‖/‖W‖ = η·√D / s per step. On the
     * built-in demo (D = 32, η = 1e-3, 15 probe steps, s of the pretrained model) that is a few tenths of a percent:
     * its LP-FT is FT from almost the same head; on ImageNet (D = 512, s = 100, 2502 steps an epoch) it is tens of
     * percent. ClassifierBaselines logs the probe's measured ‖ΔW‖/‖W‖.
     */
    @Test
    void aLinearProbeStepMovesEveryHeadWeightByTheLearningRate() {
        double lr = 1e-3;
        double scale = 50;
        TrainingSettings probe = TinyTrainingFixture.trainingSettings("learning-rate", lr, "weight-decay", 0.0,
                "warmup-steps", 0);
        long n = TrainingGraphFactory.classifierParameterCount(model, 3, true);
        Random r = new Random(6);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.1 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, 3, true, probe, 10, true,
                Nd4j.createFromArray(start).reshape(1, n));
        INDArray w = g.getParam("classifier_W");
        INDArray unitRows = Nd4j.rand(DataType.FLOAT, 3, model.embedDim()).subi(0.5);
        unitRows.diviColumnVector(unitRows.norm2(1).reshape(3, 1));
        w.assign(unitRows.transpose().mul(scale));
        INDArray before = w.dup();
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        g.fit(new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels}));
        INDArray delta = g.getParam("classifier_W").sub(before);
        assertEquals(lr, delta.amaxNumber().doubleValue(), 1e-3 * lr, "AdamW's first step: lr per weight");
        assertEquals(lr, org.nd4j.linalg.ops.transforms.Transforms.abs(delta).minNumber().doubleValue(), 1e-2 * lr,
                "every head weight moves");
        double relative = delta.norm2Number().doubleValue() / before.norm2Number().doubleValue();
        assertEquals(lr * Math.sqrt(model.embedDim()) / scale, relative, 1e-2 * relative, "‖ΔW‖/‖W‖ = η·√D/s");
        assertTrue(g.getParam("classifier_b").amaxNumber().doubleValue() > 0.9 * lr, "the bias moves too");
    }
}
