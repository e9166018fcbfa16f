package org.carotspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scatter plot written as PNG: labelled axes with tick labels, points coloured by series with a
 * legend, the least-squares line over all points, and Pearson r / Spearman ρ in the title.
 */
public final class ScatterPlotPng {

    /** One named, coloured group of points. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + ": x and y differ in length");
            }
        }
    }

    /** What {@link #write} drew: the fit and correlations over all points. */
    public record Summary(Correlation.Line line, double pearson, double spearman, int points) {
    }

    private ScatterPlotPng() {
    }

    public static Summary write(Path file, String title, String xLabel, String yLabel, List<Series> series,
                                int width, int height) {
        List<double[]> all = new ArrayList<>();
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    all.add(new double[] {s.x()[i], s.y()[i]});
                }
            }
        }
        if (all.size() < 2) {
            throw new IllegalArgumentException("a scatter plot needs at least 2 finite points, got " + all.size());
        }
        double[] xs = all.stream().mapToDouble(p -> p[0]).toArray();
        double[] ys = all.stream().mapToDouble(p -> p[1]).toArray();
        Correlation.Line line = Correlation.leastSquares(xs, ys);
        double r = Correlation.pearson(xs, ys);
        double rho = Correlation.spearman(xs, ys);

        ChartCanvas c = new ChartCanvas(width, height, 90, 70, 30, 70);
        double[] xr = ChartCanvas.paddedRange(xs);
        double[] yr = ChartCanvas.paddedRange(ys);
        double[] xt = ChartCanvas.ticks(xr[0], xr[1]);
        double[] yt = ChartCanvas.ticks(yr[0], yr[1]);
        double x0 = Math.min(xr[0], xt[0]);
        double x1 = Math.max(xr[1], xt[xt.length - 1]);
        c.range(x0, x1, Math.min(yr[0], yt[0]), Math.max(yr[1], yt[yt.length - 1]), false);
        c.xTicks(xt);
        c.yTicks(yt);
        c.frame();

        // points: larger series first so a small series is not hidden under a big one
        List<Integer> drawOrder = new ArrayList<>();
        for (int si = 0; si < series.size(); si++) {
            drawOrder.add(si);
        }
        drawOrder.sort((a, b) -> Integer.compare(series.get(b).x().length, series.get(a).x().length));
        for (int si : drawOrder) {
            Series s = series.get(si);
            c.g().setColor(ChartCanvas.translucent(ChartCanvas.color(si), 170));
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    c.g().fill(new Ellipse2D.Double(c.px(s.x()[i]) - 4, c.py(s.y()[i]) - 4, 8, 8));
                }
            }
        }

        // fitted line, clipped to the plot area
        c.g().setClip(c.left(), c.top(), c.plotWidth(), c.plotHeight());
        c.g().setColor(Color.BLACK);
        c.g().setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f},
                0f));
        c.g().draw(new Line2D.Double(c.px(x0), c.py(line.at(x0)), c.px(x1), c.py(line.at(x1))));
        c.g().setClip(null);
        c.g().setStroke(new BasicStroke(1f));

        // legend: one row between the title and the plot, so it never hides points
        List<String> names = series.stream().map(s -> s.name() + " (" + s.x().length + ")").toList();
        int lx = c.legend(names, c.left(), c.top() - 14);
        c.g().drawString(String.format(Locale.ROOT, "- - fit: y = %.4g + %.4g x", line.intercept(), line.slope()), lx,
                c.top() - 14);

        c.axisLabels(xLabel, yLabel, height - 20);
        c.title(String.format(Locale.ROOT, "%s   (Pearson r = %.3f, Spearman \u03c1 = %.3f, n = %d)", title, r, rho,
                xs.length), 35);
        ChartCanvas.write(file, c.png());
        return new Summary(line, r, rho, xs.length);
    }

    /** "Nice" tick values covering [lo, hi] (see {@link ChartCanvas#ticks}). */
    static double[] ticks(double lo, double hi) {
        return ChartCanvas.ticks(lo, hi);
    }
}
