package org.carotspark.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemperatureSearchTest {

    private static final TemperatureSettings SETTINGS = new TemperatureSettings(TemperatureSettings.Objective.ECE,
            0.05, 20, 81, 3, 1e-4);

    /** Counts batches; each batch is what one distributed pass would evaluate. */
    private static final class Recorder implements TemperatureSearch.Objective {
        final DoubleUnaryOperator f;
        final List<Integer> batches = new ArrayList<>();

        Recorder(DoubleUnaryOperator f) {
            this.f = f;
        }

        @Override
        public double[] values(double[] temperatures) {
            batches.add(temperatures.length);
            double[] v = new double[temperatures.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.applyAsDouble(temperatures[i]);
            }
            return v;
        }
    }

    @Test
    void gridThenGoldenSectionFindsAnInteriorOptimumPreciselyInOneGridPass() {
        Recorder r = new Recorder(t -> Math.pow(Math.log(t) - Math.log(1.7), 2));
        TemperatureFit fit = TemperatureSearch.fit(SETTINGS, r);
        assertEquals(1.7, fit.temperature(), 1.7 * 2e-4);
        assertFalse(fit.atGridEdge());
        assertEquals(81, r.batches.get(0), "the grid (its midpoint is T = 1) in one batch");
        assertTrue(r.batches.subList(1, r.batches.size()).stream().allMatch(b -> b == 1), "then one per step");
        assertEquals(Math.pow(Math.log(1.7), 2), fit.valueAtOne(), 1e-12);
        assertEquals(0.05, fit.gridMin(), 1e-12);
        assertEquals(20, fit.gridMax(), 1e-9);
    }

    @Test
    void anOptimumPastTheEdgeWidensTheGrid() {
        TemperatureFit fit = TemperatureSearch.fit(SETTINGS, new Recorder(t -> Math.abs(Math.log(t / 60.0))));
        assertEquals(60, fit.temperature(), 60 * 2e-4);
        assertFalse(fit.atGridEdge());
        assertTrue(fit.gridMax() >= 60 && fit.gridMax() < 20 * 10 * 1.1, "one decade added: " + fit.gridMax());
    }

    @Test
    void anOptimumStillOnTheEdgeAfterEveryWideningIsReportedAsSuch() {
        TemperatureFit fit = TemperatureSearch.fit(SETTINGS, new Recorder(t -> 1.0 / t));
        assertTrue(fit.atGridEdge());
        assertEquals(fit.gridMax(), fit.temperature(), 0.0);
        assertTrue(fit.gridMax() >= 20 * 1000 * 0.999, "three decades added: " + fit.gridMax());
        TemperatureFit low = TemperatureSearch.fit(SETTINGS, new Recorder(t -> t));
        assertTrue(low.atGridEdge());
        assertTrue(low.temperature() <= 0.05 / 1000 * 1.001, "widened downwards: " + low.temperature());
    }

    @Test
    void aFlatObjectiveLeavesTheModelAtTemperatureOne() {
        TemperatureFit fit = TemperatureSearch.fit(SETTINGS, new Recorder(t -> 0.25));
        assertEquals(1.0, fit.temperature(), 0.0);
        assertFalse(fit.atGridEdge());
    }

    @Test
    void neverWorseThanTheBestGridPointOnAJaggedObjective() {
        DoubleUnaryOperator jagged = t -> Math.abs(Math.log(t) - 0.3) + 0.05 * Math.abs(Math.sin(40 * Math.log(t)));
        Recorder r = new Recorder(jagged);
        TemperatureFit fit = TemperatureSearch.fit(SETTINGS, r);
        double bestGrid = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 81; i++) {
            bestGrid = Math.min(bestGrid, jagged.applyAsDouble(Math.exp(Math.log(0.05) + Math.log(400) * i / 80)));
        }
        assertTrue(fit.valueAtBest() <= bestGrid, fit.valueAtBest() + " vs grid " + bestGrid);
        assertEquals(jagged.applyAsDouble(fit.temperature()), fit.valueAtBest(), 0.0);
    }
}
