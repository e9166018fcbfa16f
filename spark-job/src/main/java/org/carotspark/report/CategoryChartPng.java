package org.carotspark.report;

import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Grouped bars as PNG: one group per category (e.g. IN-C corruptions), one coloured bar per series
 * (method) in each, with a legend. Missing values (NaN) leave a gap.
 */
public final class CategoryChartPng {

    /** One named series: a value per category. */
    public record Series(String name, double[] values) {
    }

    private CategoryChartPng() {
    }

    public static byte[] render(String title, String yLabel, List<String> categories, List<Series> series,
                                int width, int height) {
        for (Series s : series) {
            if (s.values().length != categories.size()) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.values().length
                        + " values for " + categories.size() + " categories");
            }
        }
        ChartCanvas c = new ChartCanvas(width, height, 72, 64, 120, 120);
        double max = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double[] yt = ChartCanvas.ticks(0, max > 0 ? max * 1.05 : 1);
        c.range(0, categories.size(), 0, yt[yt.length - 1], false);
        c.yTicks(yt);
        double groupWidth = 0.8;
        double barWidth = groupWidth / Math.max(1, series.size());
        for (int si = 0; si < series.size(); si++) {
            c.g().setColor(ChartCanvas.color(si));
            double[] v = series.get(si).values();
            for (int k = 0; k < v.length; k++) {
                if (!Double.isFinite(v[k])) {
                    continue;
                }
                double xa = c.px(k + 0.1 + si * barWidth);
                double xb = c.px(k + 0.1 + (si + 1) * barWidth);
                c.g().fill(new Rectangle2D.Double(xa, c.py(v[k]), Math.max(1, xb - xa - 1), c.py(0) - c.py(v[k])));
            }
        }
        c.frame();
        c.xCategories(categories, true);
        c.axisLabels("", yLabel, height - 8);
        c.legend(series.stream().map(Series::name).toList(), c.left(), c.top() - 12);
        c.title(title, 26);
        return c.png();
    }
}
