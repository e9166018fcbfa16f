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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What every PNG chart of the reports shares, drawn with Java2D into a BufferedImage (headless-safe):
 * a white page, a plot rectangle inside margins, linear or log axes with "nice" ticks and a light
 * grid, categorical x labels, axis labels, a title, a one-row legend, and PNG encoding.
 */
final class ChartCanvas {

    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)
    };
    static final Color GRID = new Color(0xE5E5E5);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);

    private final BufferedImage image;
    private final Graphics2D g;
    private final int width;
    private final int height;
    private final int left;
    private final int top;
    private final int plotWidth;
    private final int plotHeight;
    private double x0 = 0;
    private double x1 = 1;
    private double y0 = 0;
    private double y1 = 1;
    private boolean logY;

    ChartCanvas(int width, int height, int left, int top, int right, int bottom) {
        if (width - left - right < 10 || height - top - bottom < 10) {
            throw new IllegalArgumentException("a " + width + "x" + height + " chart leaves no room to plot");
        }
        this.width = width;
        this.height = height;
        this.left = left;
        this.top = top;
        this.plotWidth = width - left - right;
        this.plotHeight = height - top - bottom;
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    Graphics2D g() {
        return g;
    }

    int left() {
        return left;
    }

    int top() {
        return top;
    }

    int plotWidth() {
        return plotWidth;
    }

    int plotHeight() {
        return plotHeight;
    }

    /** The data window; with {@code logY} the y range must be positive and is mapped by log10. */
    void range(double xMin, double xMax, double yMin, double yMax, boolean logScaleY) {
        if (logScaleY && !(yMin > 0)) {
            throw new IllegalArgumentException("a log axis needs a positive range, got " + yMin + ".." + yMax);
        }
        x0 = xMin;
        x1 = xMax;
        y0 = yMin;
        y1 = yMax;
        logY = logScaleY;
    }

    double px(double x) {
        return left + (x - x0) / (x1 - x0) * plotWidth;
    }

    double py(double y) {
        double f = logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (y - y0) / (y1 - y0);
        return top + plotHeight - f * plotHeight;
    }

    /** Vertical grid lines and labels at numeric x ticks. */
    void xTicks(double[] ticks) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        for (double t : ticks) {
            double px = px(t);
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, top, px, top + plotHeight));
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(px, top + plotHeight, px, top + plotHeight + 5));
            String s = tickLabel(t, ticks);
            g.drawString(s, (float) (px - fm.stringWidth(s) / 2.0), top + plotHeight + 8 + fm.getAscent());
        }
    }

    /** Category names under the plot, centred on x = i + 0.5 (range x over [0, n]); rotated when long. */
    void xCategories(List<String> names, boolean rotate) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < names.size(); i++) {
            double px = px(i + 0.5);
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(px, top + plotHeight, px, top + plotHeight + 4));
            String s = names.get(i);
            if (rotate) {
                Graphics2D r = (Graphics2D) g.create();
                r.translate(px + fm.getAscent() / 2.0 - 2, top + plotHeight + 8);
                r.rotate(Math.PI / 4);
                r.drawString(s, 0, 0);
                r.dispose();
            } else {
                g.drawString(s, (float) (px - fm.stringWidth(s) / 2.0), top + plotHeight + 8 + fm.getAscent());
            }
        }
    }

    /** Horizontal grid lines and labels at y ticks (log ticks on a log axis). */
    void yTicks(double[] ticks) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        for (double t : ticks) {
            double py = py(t);
            g.setColor(GRID);
            g.draw(new Line2D.Double(left, py, left + plotWidth, py));
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(left - 5, py, left, py));
            String s = logY ? String.format(Locale.ROOT, "%.0e", t) : tickLabel(t, ticks);
            g.drawString(s, left - 8 - fm.stringWidth(s), (float) (py + fm.getAscent() / 2.0 - 1));
        }
    }

    /** The plot rectangle's border. */
    void frame() {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(left, top, plotWidth, plotHeight);
        g.setStroke(new BasicStroke(1f));
    }

    /** Axis labels: x centred at {@code xBaseline} pixels from the top, y rotated along the left edge. */
    void axisLabels(String xLabel, String yLabel, int xBaseline) {
        g.setFont(LABEL_FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(xLabel, left + (plotWidth - fm.stringWidth(xLabel)) / 2, xBaseline);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(yLabel, -(top + (plotHeight + fm.stringWidth(yLabel)) / 2), 20);
        gy.dispose();
    }

    void title(String title, int baseline) {
        g.setFont(TITLE_FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, Math.max(8, (width - fm.stringWidth(title)) / 2), baseline);
    }

    /** One row of coloured dots and names starting at (x, baseline); returns the x after the last entry. */
    int legend(List<String> names, int x, int baseline) {
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < names.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fill(new Ellipse2D.Double(x, baseline - 9, 10, 10));
            g.setColor(Color.BLACK);
            g.drawString(names.get(i), x + 14, baseline);
            x += 14 + fm.stringWidth(names.get(i)) + 18;
        }
        return x;
    }

    static Color color(int series) {
        return PALETTE[series % PALETTE.length];
    }

    static Color translucent(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    /** The finished chart as PNG bytes (the canvas is disposed). */
    byte[] png() {
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        }
    }

    /** Writes PNG bytes to a file, creating its directory. */
    static void write(Path file, byte[] png) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The data range of finite values, padded by 4 % (and widened when flat). */
    static double[] paddedRange(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double e : v) {
            if (Double.isFinite(e)) {
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
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

    /** Powers of ten covering [lo, hi] (lo &gt; 0). */
    static double[] decadeTicks(double lo, double hi) {
        int a = (int) Math.floor(Math.log10(lo));
        int b = (int) Math.ceil(Math.log10(hi));
        double[] t = new double[b - a + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.pow(10, a + i);
        }
        return t;
    }

    static String tickLabel(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(v) < step * 1e-6) {
            v = 0.0;
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
