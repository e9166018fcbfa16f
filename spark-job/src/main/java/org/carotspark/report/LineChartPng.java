package org.carotspark.report;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.Arrays;
import java.util.List;

/**
 * Lines with markers as PNG, x = 1..n (e.g. the index of a singular value), optionally on a log y
 * axis; one coloured series per method, with a legend. Non-positive values are skipped on a log axis.
 */
public final class LineChartPng {

    /** One named series: y values at x = 1, 2, .... */
    public record Series(String name, double[] values) {
    }

    private LineChartPng() {
    }

    public static byte[] render(String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                                int width, int height) {
        int n = series.stream().mapToInt(s -> s.values().length).max().orElse(0);
        if (n == 0) {
            throw new IllegalArgumentException("a line chart needs at least one value");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            lo = logY ? 1e-3 : 0;
            hi = 1;
        }
        ChartCanvas c = new ChartCanvas(width, height, 80, 64, 20, 60);
        double[] yt;
        if (logY) {
            yt = ChartCanvas.decadeTicks(lo, hi);
            c.range(0.5, n + 0.5, yt[0], yt[yt.length - 1], true);
        } else {
            double[] r = ChartCanvas.paddedRange(new double[] {lo, hi});
            yt = ChartCanvas.ticks(r[0], r[1]);
            c.range(0.5, n + 0.5, yt[0], yt[yt.length - 1], false);
        }
        double[] xt = ChartCanvas.ticks(1, n);
        c.xTicks(Arrays.stream(xt).filter(x -> x >= 1 && x <= n).toArray());
        c.yTicks(yt);
        c.g().setStroke(new BasicStroke(1.8f));
        for (int si = 0; si < series.size(); si++) {
            c.g().setColor(ChartCanvas.color(si));
            double[] v = series.get(si).values();
            double prevX = Double.NaN;
            double prevY = Double.NaN;
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i]) || (logY && v[i] <= 0)) {
                    prevX = Double.NaN;
                    continue;
                }
                double x = c.px(i + 1);
                double y = c.py(v[i]);
                if (!Double.isNaN(prevX)) {
                    c.g().draw(new Line2D.Double(prevX, prevY, x, y));
                }
                c.g().fill(new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7));
                prevX = x;
                prevY = y;
            }
        }
        c.g().setStroke(new BasicStroke(1f));
        c.frame();
        c.axisLabels(xLabel, yLabel, height - 14);
        c.legend(series.stream().map(Series::name).toList(), c.left(), c.top() - 12);
        c.title(title, 26);
        return c.png();
    }
}
