package org.carotspark.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/** Java2D drawing helpers shared by the image styles: colours, backgrounds, placement, noise. */
final class Canvas {

    private Canvas() {
    }

    static BufferedImage blank(int w, int h) {
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    static int uniformInt(Random rnd, int lo, int hiInclusive) {
        return lo + rnd.nextInt(hiInclusive - lo + 1);
    }

    static Color hsb(Random rnd, double hueLo, double hueHi, double satLo, double satHi, double briLo, double briHi) {
        double hue = uniform(rnd, hueLo, hueHi);
        hue = hue - Math.floor(hue);
        return Color.getHSBColor((float) hue, (float) uniform(rnd, satLo, satHi), (float) uniform(rnd, briLo, briHi));
    }

    static double luma(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }

    /** A colour whose luma differs from {@code bg} by at least {@code minDelta} (brightness pushed away). */
    static Color contrasting(Color candidate, Color bg, double minDelta) {
        if (Math.abs(luma(candidate) - luma(bg)) >= minDelta) {
            return candidate;
        }
        float[] hsb = Color.RGBtoHSB(candidate.getRed(), candidate.getGreen(), candidate.getBlue(), null);
        float bri = luma(bg) > 128 ? Math.max(0f, hsb[2] - 0.55f) : Math.min(1f, hsb[2] + 0.55f);
        Color c = Color.getHSBColor(hsb[0], hsb[1], bri);
        if (Math.abs(luma(c) - luma(bg)) >= minDelta) {
            return c;
        }
        return luma(bg) > 128 ? new Color(20, 20, 30) : new Color(240, 240, 230);
    }

    static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    static void fill(Graphics2D g, int w, int h, Color c) {
        g.setColor(c);
        g.fillRect(0, 0, w, h);
    }

    static void gradient(Graphics2D g, int w, int h, Color a, Color b, Random rnd) {
        boolean vertical = rnd.nextBoolean();
        g.setPaint(new GradientPaint(0, 0, a, vertical ? 0 : w, vertical ? h : 0, b));
        g.fillRect(0, 0, w, h);
    }

    static void stripes(Graphics2D g, int w, int h, Color a, Color b, double period, double angle) {
        fill(g, w, h, a);
        g.setColor(b);
        AffineTransform saved = g.getTransform();
        g.rotate(angle, w / 2.0, h / 2.0);
        int diag = (int) Math.ceil(Math.hypot(w, h));
        for (double x = -diag; x < diag; x += period) {
            g.fill(new Rectangle2D.Double(x, -diag, period / 2, 3 * diag));
        }
        g.setTransform(saved);
    }

    static void checker(Graphics2D g, int w, int h, Color a, Color b, int cell) {
        for (int y = 0; y < h; y += cell) {
            for (int x = 0; x < w; x += cell) {
                g.setColor(((x / cell + y / cell) % 2 == 0) ? a : b);
                g.fillRect(x, y, cell, cell);
            }
        }
    }

    /** Outline placed at (cx, cy) with the given radius, rotation, mirror and horizontal stretch. */
    static Shape place(ShapeKind kind, double cx, double cy, double radius, double angle, boolean mirror,
                       double stretchX) {
        AffineTransform t = new AffineTransform();
        t.translate(cx, cy);
        t.rotate(angle);
        t.scale(radius * stretchX * (mirror ? -1 : 1), radius);
        return t.createTransformedShape(kind.unitShape());
    }

    /** Draws the object: filled for closed outlines, stroked for open ones. */
    static void drawObject(Graphics2D g, ShapeKind kind, Shape placed, double radius) {
        if (kind.isStroke()) {
            g.setStroke(new BasicStroke((float) Math.max(1.5, radius * 0.14), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.draw(placed);
        } else {
            g.fill(placed);
        }
    }

    /** Adds independent Gaussian noise of the given standard deviation (in 0..255 units) to every channel. */
    static void addNoise(BufferedImage img, Random rnd, double sigma) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int r = clamp(((p >> 16) & 0xff) + (int) Math.round(rnd.nextGaussian() * sigma));
            int gg = clamp(((p >> 8) & 0xff) + (int) Math.round(rnd.nextGaussian() * sigma));
            int b = clamp((p & 0xff) + (int) Math.round(rnd.nextGaussian() * sigma));
            px[i] = (r << 16) | (gg << 8) | b;
        }
        img.setRGB(0, 0, w, h, px, 0, w);
    }

    static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
