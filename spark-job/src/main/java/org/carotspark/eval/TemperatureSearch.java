package org.carotspark.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Tunes one temperature: a log-spaced grid (plus T = 1) evaluated in one batch, widened by a decade
 * on the side where the optimum sits on the grid's edge (at most {@code maxWidenings} times), then a
 * golden-section search in log T between the optimum's two grid neighbours. The answer is the best of
 * every temperature evaluated, so refinement can only improve on the grid; on exact ties the
 * temperature closest to 1 (in log) wins, so a flat objective leaves the model untouched. When the
 * optimum is still on an edge after the last widening, the fit says so instead of refining.
 */
public final class TemperatureSearch {

    /** Evaluates the objective at several temperatures at once (one distributed pass for all). */
    public interface Objective {
        double[] values(double[] temperatures);
    }

    private static final double GOLDEN = (Math.sqrt(5.0) - 1.0) / 2.0;
    private static final double DECADE = Math.log(10.0);

    private TemperatureSearch() {
    }

    public static TemperatureFit fit(TemperatureSettings settings, Objective objective) {
        Evaluations seen = new Evaluations(objective);
        double logStep = (Math.log(settings.max()) - Math.log(settings.min())) / (settings.steps() - 1);
        List<Double> grid = new ArrayList<>();
        for (int i = 0; i < settings.steps(); i++) {
            grid.add(Math.exp(Math.log(settings.min()) + logStep * i));
        }
        List<Double> first = new ArrayList<>(grid);
        first.add(1.0);
        seen.evaluate(first);

        int widenings = 0;
        int best = seen.bestIndex(grid);
        while ((best == 0 || best == grid.size() - 1) && widenings < settings.maxWidenings()) {
            int extra = (int) Math.ceil(DECADE / logStep);
            List<Double> added = new ArrayList<>();
            for (int k = 1; k <= extra; k++) {
                added.add(best == 0 ? grid.get(0) * Math.exp(-k * logStep)
                        : grid.get(grid.size() - 1) * Math.exp(k * logStep));
            }
            seen.evaluate(added);
            if (best == 0) {
                for (Double t : added) {
                    grid.add(0, t);
                }
            } else {
                grid.addAll(added);
            }
            widenings++;
            best = seen.bestIndex(grid);
        }
        boolean atEdge = best == 0 || best == grid.size() - 1;
        if (!atEdge) {
            goldenSection(seen, Math.log(grid.get(best - 1)), Math.log(grid.get(best + 1)),
                    Math.log1p(settings.refineTolerance()));
        }
        double t = seen.bestTemperature();
        return new TemperatureFit(t, settings.objective(), seen.value(1.0), seen.value(t), atEdge, grid.get(0),
                grid.get(grid.size() - 1), seen.size());
    }

    /** Golden-section search for a minimum of the objective over log T in [a, b]. */
    private static void goldenSection(Evaluations seen, double a, double b, double tolerance) {
        double x1 = b - GOLDEN * (b - a);
        double x2 = a + GOLDEN * (b - a);
        double f1 = seen.at(Math.exp(x1));
        double f2 = seen.at(Math.exp(x2));
        while (b - a > tolerance) {
            if (f1 <= f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - GOLDEN * (b - a);
                f1 = seen.at(Math.exp(x1));
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + GOLDEN * (b - a);
                f2 = seen.at(Math.exp(x2));
            }
        }
    }

    /** Every temperature evaluated so far and its objective value. */
    private static final class Evaluations {
        private final Objective objective;
        private final TreeMap<Double, Double> values = new TreeMap<>();

        Evaluations(Objective objective) {
            this.objective = objective;
        }

        void evaluate(List<Double> temperatures) {
            List<Double> fresh = temperatures.stream().filter(t -> !values.containsKey(t)).distinct().toList();
            if (fresh.isEmpty()) {
                return;
            }
            double[] ts = fresh.stream().mapToDouble(Double::doubleValue).toArray();
            double[] vs = objective.values(ts);
            if (vs.length != ts.length) {
                throw new IllegalStateException("objective returned " + vs.length + " values for " + ts.length
                        + " temperatures");
            }
            for (int i = 0; i < ts.length; i++) {
                values.put(ts[i], vs[i]);
            }
        }

        double at(double t) {
            evaluate(List.of(t));
            return values.get(t);
        }

        double value(double t) {
            Double v = values.get(t);
            return v == null ? Double.NaN : v;
        }

        int size() {
            return values.size();
        }

        int bestIndex(List<Double> grid) {
            int best = 0;
            for (int i = 1; i < grid.size(); i++) {
                if (better(grid.get(i), values.get(grid.get(i)), grid.get(best), values.get(grid.get(best)))) {
                    best = i;
                }
            }
            return best;
        }

        double bestTemperature() {
            Double best = null;
            for (var e : values.entrySet()) {
                if (best == null || better(e.getKey(), e.getValue(), best, values.get(best))) {
                    best = e.getKey();
                }
            }
            return best;
        }

        /** Lower value wins; NaN never wins; on a tie, the temperature closer to 1 in log. */
        private static boolean better(double t, double v, double bestT, double bestV) {
            if (Double.isNaN(v)) {
                return false;
            }
            if (Double.isNaN(bestV) || v < bestV) {
                return true;
            }
            return v == bestV && Math.abs(Math.log(t)) < Math.abs(Math.log(bestT));
        }
    }
}
