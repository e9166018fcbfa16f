package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.GraphParameters;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FT trains as the CaRot reference's: lr 3e-5 (ft.sh), a trainable head bias from 0 (modeling.py), gradient clip 1.0
 * (ft_loss.py), by default and under conf/local.conf; the learning rate reaches every parameter, the bias included
 * (the clip's reach: GlobalNormClipTest).
 */
class FtBaselineSettingsTest {

    private static final long TOTAL = 1000;

    @Test
    void theReferenceDefaultsHoldAlsoUnderTheLocalProfile() {
        Config local = ConfigFactory.parseFile(new File("../conf/local.conf")).withFallback(ConfigFactory.load())
                .resolve();
        for (Config c : new Config[] {ConfigFactory.load(), local}) {
            TrainingSettings ft = ClassifierBaselines.ftSettings(c, 2);
            assertEquals(3e-5, ft.learningRate(), 0.0);
            assertEquals(1.0, ft.gradientClipNorm(), 0.0);
            assertTrue(c.getBoolean("carot.baselines.ft.head-bias"));
            TrainingSettings probe = ClassifierBaselines.probeSettings(c, 2);
            assertEquals(c.getDouble("carot.baselines.lp-learning-rate"), probe.learningRate(), 0.0);
            assertEquals(1.0, probe.gradientClipNorm(), 0.0, "the probe trains in FT's loop: clipped too");
        }
        assertEquals(1e-4, TrainingSettings.fromConfig(local, 2).learningRate(), 0.0, "the contrastive methods' own");
        assertEquals(0.0, TrainingSettings.fromConfig(local, 2).gradientClipNorm(), 0.0);
    }

    /**
     * AdamW's first step from a zero state moves each parameter's largest-gradient entry by lr(t)·a(t) (a = Adam's
     * bias correction), whatever the gradient's size: every parameter, the head bias among them, sees FT's rate.
     */
    @Test
    void ftsLearningRateReachesEveryParameterTheHeadBiasIncluded() {
        Config c = ConfigFactory.parseMap(Map.of("carot.train.weight-decay", 0.0, "carot.baselines.ft.gradient-clip-norm",
                0.0)).withFallback(ConfigFactory.load());
        TrainingSettings ft = ClassifierBaselines.ftSettings(c, 1);
        ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());
        long n = TrainingGraphFactory.classifierParameterCount(model, 3, true);
        Random r = new Random(2);
        float[] start = new float[(int) n];
        for (int i = 0; i < start.length; i++) {
            start[i] = (float) (0.1 * r.nextGaussian());
        }
        ComputationGraph g = TrainingGraphFactory.classifier(model, 3, true, ft, TOTAL, false,
                Nd4j.createFromArray(start).reshape(1, n));
        int t = 500;
        g.getConfiguration().setIterationCount(t);
        Map<String, INDArray> before = GraphParameters.of(g);
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 8, 8);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        g.fit(new MultiDataSet(new INDArray[] {images}, new INDArray[] {labels}));
        double b1 = ft.adamBeta1();
        double b2 = ft.adamBeta2();
        double expected = ft.schedule(TOTAL).at(t) * (1 - b1) * Math.sqrt(1 - Math.pow(b2, t + 1))
                / ((1 - Math.pow(b1, t + 1)) * Math.sqrt(1 - b2));
        assertEquals(3e-5, ft.schedule(TOTAL).at(t), 1e-9, "t = 500 ends the warm-up: the peak rate");
        Map<String, INDArray> after = GraphParameters.of(g);
        assertTrue(before.containsKey("classifier.b"), before.keySet().toString());
        for (String p : before.keySet()) {
            double moved = after.get(p).sub(before.get(p)).amaxNumber().doubleValue();
            assertEquals(expected, moved, 2e-3 * expected, p + " moved " + moved);
        }
    }

}
