package org.carotspark.eval;

import java.io.Serializable;

/**
 * The outcome of temperature tuning: the chosen temperature, the objective at T = 1 and at it, the
 * grid finally searched and whether the optimum still sat on its edge after every allowed widening
 * (then the temperature is the edge value and the true optimum lies beyond it).
 */
public record TemperatureFit(double temperature, TemperatureSettings.Objective objective, double valueAtOne,
                             double valueAtBest, boolean atGridEdge, double gridMin, double gridMax,
                             int evaluations) implements Serializable {

    /** No tuning: T = 1. */
    public static TemperatureFit identity() {
        return new TemperatureFit(1.0, TemperatureSettings.Objective.ECE, Double.NaN, Double.NaN, false, 1.0, 1.0, 0);
    }
}
