package org.carotspark.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scatter plot written as PNG with Java2D: labelled axes with tick labels, points coloured by
 * series with a legend, the least-squares line over all points, and Pearson r / Spearman ρ in the
 * title. Headless-safe (draws into a BufferedImage only).
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

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };

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

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int left = 90;
            int right = 30;
            int top = 70;
            int bottom = 70;
            int pw = width - left - right;
            int ph = height - top - bottom;

            double[] xr = range(xs);
            double[] yr = range(ys);
            double[] xt = ticks(xr[0], xr[1]);
            double[] yt = ticks(yr[0], yr[1]);
            double x0 = Math.min(xr[0], xt[0]);
            double x1 = Math.max(xr[1], xt[xt.length - 1]);
            double y0 = Math.min(yr[0], yt[0]);
            double y1 = Math.max(yr[1], yt[yt.length - 1]);
            Mapper m = new Mapper(left, top, pw, ph, x0, x1, y0, y1);

            Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
            Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);

            // grid + ticks
            g.setFont(tickFont);
            FontMetrics fm = g.getFontMetrics();
            for (double t : xt) {
                double px = m.px(t);
                g.setColor(new Color(0xE5E5E5));
                g.draw(new Line2D.Double(px, top, px, top + ph));
                g.setColor(Color.BLACK);
                g.draw(new Line2D.Double(px, top + ph, px, top + ph + 5));
                String s = tickLabel(t, xt);
                g.drawString(s, (float) (px - fm.stringWidth(s) / 2.0), top + ph + 8 + fm.getAscent());
            }
            for (double t : yt) {
                double py = m.py(t);
                g.setColor(new Color(0xE5E5E5));
                g.draw(new Line2D.Double(left, py, left + pw, py));
                g.setColor(Color.BLACK);
                g.draw(new Line2D.Double(left - 5, py, left, py));
                String s = tickLabel(t, yt);
                g.drawString(s, left - 8 - fm.stringWidth(s), (float) (py + fm.getAscent() / 2.0 - 1));
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawRect(left, top, pw, ph);

            // points: larger series first so a small series is not hidden under a big one
            List<Integer> drawOrder = new ArrayList<>();
            for (int si = 0; si < series.size(); si++) {
                drawOrder.add(si);
            }
            drawOrder.sort((a, b) -> Integer.compare(series.get(b).x().length, series.get(a).x().length));
            for (int si : drawOrder) {
                Series s = series.get(si);
                Color c = PALETTE[si % PALETTE.length];
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
                for (int i = 0; i < s.x().length; i++) {
                    if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                        g.fill(new Ellipse2D.Double(m.px(s.x()[i]) - 4, m.py(s.y()[i]) - 4, 8, 8));
                    }
                }
            }

            // fitted line, clipped to the plot area
            g.setClip(left, top, pw, ph);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f));
            g.draw(new Line2D.Double(m.px(x0), m.py(line.at(x0)), m.px(x1), m.py(line.at(x1))));
            g.setClip(null);
            g.setStroke(new BasicStroke(1f));

            // legend: one row between the title and the plot, so it never hides points
            g.setFont(tickFont);
            fm = g.getFontMetrics();
            int lx = left;
            int ly = top - 14;
            for (int si = 0; si < series.size(); si++) {
                String name = series.get(si).name() + " (" + series.get(si).x().length + ")";
                g.setColor(PALETTE[si % PALETTE.length]);
                g.fill(new Ellipse2D.Double(lx, ly - 9, 10, 10));
                g.setColor(Color.BLACK);
                g.drawString(name, lx + 14, ly);
                lx += 14 + fm.stringWidth(name) + 18;
            }
            g.drawString(String.format(Locale.ROOT, "- - fit: y = %.4g + %.4g x", line.intercept(), line.slope()), lx, ly);

            // labels and title
            g.setFont(labelFont);
            fm = g.getFontMetrics();
            g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 20);
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            gy.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 24);
            gy.dispose();
            g.setFont(titleFont);
            fm = g.getFontMetrics();
            String full = String.format(Locale.ROOT, "%s   (Pearson r = %.3f, Spearman \u03c1 = %.3f, n = %d)",
                    title, r, rho, xs.length);
            g.drawString(full, Math.max(10, (width - fm.stringWidth(full)) / 2), 35);
        } finally {
            g.dispose();
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new Summary(line, r, rho, xs.length);
    }

    private record Mapper(int left, int top, int pw, int ph, double x0, double x1, double y0, double y1) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * pw;
        }

        double py(double y) {
            return top + ph - (y - y0) / (y1 - y0) * ph;
        }
    }

    private static double[] range(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        if (hi - lo < 1e-12 * Math.max(1.0, Math.abs(hi))) {
            double pad = Math.max(Math.abs(hi) * 0.05, 1e-6);
            lo -= pad;
            hi += pad;
        }
        double pad = (hi - lo) * 0.04;
        return new double[] {lo - pad, hi + pad};
    }

    /** "Nice" tick values (1, 2, 5 × 10^k steps) covering [lo, hi], about 6 of them. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6.0;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3.5 ? 2 : norm < 7.5 ? 5 : 10) * mag;
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * step;
        }
        return t;
    }

    private static String tickLabel(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(v) < step * 1e-6) {
            v = 0.0;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
