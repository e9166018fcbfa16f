package org.carotspark.train;

import org.carotspark.loss.CarotLossLayer;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.TinyTrainingFixture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier baselines' progress loss is the mean per-example cross-entropy (it printed the head's weight-decay
 * score, "loss 79.6" on 10 classes), and FT's loss decreases as it trains.
 */
class StepLossTest {

    private static final int CLASSES = 3;
    private static final int BATCH = 6;

    private final ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());

    /** A classifier whose head has large rows (as logit scale × unit class embeddings): a large decay score. */
    private ComputationGraph classifier(double lr) {
        TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", lr, "warmup-steps", 0,
                "weight-decay", 0.1);
        long n = TrainingGraphFactory.classifierParameterCount(model, CLASSES, true);
        Random r = new Random(8);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.2 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, CLASSES, true, settings, 1000, false,
                Nd4j.createFromArray(start).reshape(1, n));
        g.getParam("classifier_W").muli(10);
        return g;
    }

    private static MultiDataSet batch() {
        INDArray images = Nd4j.rand(DataType.FLOAT, BATCH, 3, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
        for (int i = 0; i < BATCH; i++) {
            labels.putScalar(i, i % CLASSES, 1.0);
        }
        return new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels});
    }

    @Test
    void theProgressLossIsTheMeanCrossEntropyNotTheDecayScore() {
        Nd4j.getRandom().setSeed(3);
        ComputationGraph g = classifier(1e-3);
        MultiDataSet data = batch();
        INDArray p = g.outputSingle(data.getFeatures(0));
        double expected = 0;
        for (int i = 0; i < BATCH; i++) {
            expected -= Math.log(p.getDouble(i, i % CLASSES)) / BATCH;
        }
        double regularization = StepLoss.regularizationBeforeFit(g);
        assertTrue(regularization > expected, "the case that misled: decay score " + regularization
                + " vs cross-entropy " + expected);
        g.fit(data);
        double reported = StepLoss.afterFit(g, regularization).mean(CarotLossLayer.TOTAL);
        assertEquals(expected, reported, 1e-4 * Math.max(1, expected));
    }

    @Test
    void ftsLossDecreasesAsItTrains() {
        Nd4j.getRandom().setSeed(4);
        ComputationGraph g = classifier(3e-3);
        MultiDataSet data = batch();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 15; step++) {
            double regularization = StepLoss.regularizationBeforeFit(g);
            g.fit(data);
            last = StepLoss.afterFit(g, regularization).mean(CarotLossLayer.TOTAL);
            if (step == 0) {
                first = last;
            }
        }
        assertTrue(last < 0.8 * first, "cross-entropy " + first + " -> " + last);
    }
}
