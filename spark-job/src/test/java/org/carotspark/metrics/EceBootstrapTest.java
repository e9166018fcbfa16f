package org.carotspark.metrics;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EceBootstrapTest {

    private static EqualMassBins pairs(int correct, int wrong, double confidence, long shuffleSeed) {
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < correct + wrong; i++) {
            outcomes.add(i < correct);
        }
        Collections.shuffle(outcomes, new Random(shuffleSeed));
        EqualMassBins bins = new EqualMassBins();
        outcomes.forEach(c -> bins.add(confidence, c));
        return bins;
    }

    /**
     * All 400 predictions at confidence 0.9, 300 right: every resample's ECE is |acc* − 0.9| with acc* never near
     * 0.9, so the bootstrap SE is the binomial one, √(0.75·0.25/400) = 0.02165.
     */
    @Test
    void matchesTheBinomialStandardErrorWhenEveryPredictionSharesOneConfidence() {
        double se = EceBootstrap.standardError(pairs(300, 100, 0.9, 1), 10, 4000, 5);
        assertEquals(Math.sqrt(0.75 * 0.25 / 400), se, 0.06 * 0.02165);
    }

    @Test
    void dependsOnlyOnTheMultisetOfPairsAndTheSeed() {
        double a = EceBootstrap.standardError(pairs(120, 80, 0.7, 1), 10, 200, 9);
        double b = EceBootstrap.standardError(pairs(120, 80, 0.7, 2), 10, 200, 9);
        assertEquals(a, b, 0.0);
        assertTrue(a != EceBootstrap.standardError(pairs(120, 80, 0.7, 1), 10, 200, 10));
        assertTrue(Double.isNaN(EceBootstrap.standardError(pairs(1, 0, 0.7, 1), 10, 200, 9)));
    }

    /** PredictionStats carries it into Metrics when configured and the pairs are kept. */
    @Test
    void reachesTheMetricsOfAnEvaluation() {
        MetricSettings on = new MetricSettings(new int[] {10}, 15, 500, 3);
        PredictionStats stats = new PredictionStats(on, true);
        Random r = new Random(4);
        for (int i = 0; i < 300; i++) {
            stats.addProbabilities(new double[] {0.8, 0.2}, r.nextDouble() < 0.6 ? 0 : 1);
        }
        double se = stats.metrics(on).eceStdError();
        assertTrue(se > 0.01 && se < 0.05, "se " + se);
        assertTrue(Double.isNaN(new PredictionStats(on, false).metrics(on).eceStdError()));
    }

    /** An equal-weight mean of independent groups has SE √(Σ se²) / G. */
    @Test
    void aMeanOfGroupsCombinesTheirErrors() {
        Metrics a = new Metrics(100, 0.5, 0.9, 0.1, new TreeMap<>(), 0.1, 0.2, 1.0, 0.5, List.of(), 0.03, Double.NaN);
        Metrics b = new Metrics(100, 0.5, 0.9, 0.2, new TreeMap<>(), 0.1, 0.2, 1.0, 0.5, List.of(), 0.04, Double.NaN);
        assertEquals(0.025, Metrics.mean(List.of(a, b), List.of()).eceStdError(), 1e-12);
    }
}
