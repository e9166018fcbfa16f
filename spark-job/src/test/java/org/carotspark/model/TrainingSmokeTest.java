package org.carotspark.model;

import org.carotspark.loss.CarotLoss;
import org.carotspark.testing.LocalProfile;
import com.typesafe.config.ConfigFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few AdamW steps on one fixed batch (float, the production type), reproducibility, and the step time. */
class TrainingSmokeTest {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSmokeTest.class);

    private static ComputationGraph graph(ClipModelConfig m) {
        return ClipGraphBuilder.build(m, new CarotLoss(0.2, 1.5, 0.05), new Adam(3e-3), WeightDecayPolicy.matricesOnly(0.1), DataType.FLOAT);
    }

    private static double[] train(ComputationGraph g, MultiDataSet batch, int steps) {
        double[] scores = new double[steps + 1];
        scores[0] = g.score(batch, false);
        for (int i = 1; i <= steps; i++) {
            g.fit(batch);
            scores[i] = g.score(batch, false);
        }
        return scores;
    }

    @Test
    void adamStepsReduceTheLossAndTheSameSeedGivesTheSameParameters() {
        ClipModelConfig m = TinyClip.config();
        int b = 8;
        INDArray[] in = TinyClip.inputs(b, m, 1, DataType.FLOAT);
        ComputationGraph a = graph(m);
        // Teacher = the initial student, as at the start of CaRot.
        MultiDataSet batch = new MultiDataSet(in, new INDArray[]{a.output(in)[0]});
        double[] scoresA = train(a, batch, 8);
        LOG.info("CaRot loss over 8 AdamW steps: {}", Arrays.toString(scoresA));
        assertTrue(scoresA[8] < scoresA[0] - 0.05, "loss did not decrease: " + Arrays.toString(scoresA));
        for (double s : scoresA) {
            assertTrue(Double.isFinite(s));
        }

        ComputationGraph b2 = graph(m);
        double[] scoresB = train(b2, batch, 8);
        assertEquals(a.params(), b2.params(), "same seed, same data => identical parameters");
        assertEquals(Arrays.toString(scoresA), Arrays.toString(scoresB));

        assertNotEquals(graph(m).params(), graph(m.withSeed(m.seed() + 1)).params());
    }

    @Test
    void defaultTinyConfigFitStepAtBatch64() {
        ClipModelConfig m = ClipModelConfig.fromConfig(LocalProfile.load(), 200);
        ComputationGraph g = graph(m);
        int b = 64;
        INDArray[] in = TinyClip.inputs(b, m, 3, DataType.FLOAT);
        MultiDataSet batch = new MultiDataSet(in, new INDArray[]{TinyClip.softTargets(b, 4, DataType.FLOAT)});
        long t0 = System.nanoTime();
        g.fit(batch);
        long first = System.nanoTime() - t0;
        long[] t = new long[3];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            g.fit(batch);
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        LOG.info("default tiny CLIP ({} parameters), batch {}: first fit {} ms, then median {} ms per fit step",
                g.params().length(), b, first / 1_000_000, t[1] / 1_000_000);
        assertTrue(Double.isFinite(g.score()));
    }
}
