package org.carotspark.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * ImageNet-A: natural but hard examples — a small object among distractors of other classes, partly
 * occluded, often with low contrast against a busy background.
 */
final class HardExampleStyle implements ImageStyle {

    private final List<ShapeKind> distractorPool;

    HardExampleStyle(List<ShapeKind> distractorPool) {
        this.distractorPool = distractorPool;
    }

    @Override
    public BufferedImage render(ShapeKind kind, Random rnd, int w, int h) {
        BufferedImage img = Canvas.blank(w, h);
        Graphics2D g = Canvas.graphics(img);
        Color bg = Canvas.hsb(rnd, 0, 1, 0.1, 0.6, 0.3, 0.9);
        Canvas.gradient(g, w, h, bg, Canvas.hsb(rnd, 0, 1, 0.1, 0.6, 0.3, 0.9), rnd);
        int m = Math.min(w, h);
        // Clutter first: distractors of other classes, smaller than the object.
        int distractors = Canvas.uniformInt(rnd, 2, 5);
        for (int i = 0; i < distractors; i++) {
            ShapeKind d = distractorPool.get(rnd.nextInt(distractorPool.size()));
            if (d == kind) {
                continue;
            }
            double r = Canvas.uniform(rnd, 0.1, 0.22) * m;
            Shape ds = Canvas.place(d, Canvas.uniform(rnd, 0, w), Canvas.uniform(rnd, 0, h), r,
                    rnd.nextDouble() * 2 * Math.PI, false, 1.0);
            g.setColor(Canvas.hsb(rnd, 0, 1, 0.3, 1.0, 0.3, 1.0));
            Canvas.drawObject(g, d, ds, r);
        }
        double radius = Canvas.uniform(rnd, 0.22, 0.4) * m;
        double cx = Canvas.uniform(rnd, radius, w - radius);
        double cy = Canvas.uniform(rnd, radius, h - radius);
        Shape s = Canvas.place(kind, cx, cy, radius, Math.toRadians(Canvas.uniform(rnd, -40, 40)), false, 1.0);
        double minContrast = rnd.nextDouble() < 0.5 ? 25 : 55;
        g.setColor(Canvas.contrasting(Canvas.hsb(rnd, 0, 1, 0.2, 0.8, 0.3, 0.9), bg, minContrast));
        Canvas.drawObject(g, kind, s, radius);
        // Occluders over part of the object.
        int occluders = Canvas.uniformInt(rnd, 1, 2);
        for (int i = 0; i < occluders; i++) {
            double ow = Canvas.uniform(rnd, 0.3, 0.8) * radius;
            double oh = Canvas.uniform(rnd, 0.3, 0.8) * radius;
            double ox = cx + Canvas.uniform(rnd, -radius, radius) - ow / 2;
            double oy = cy + Canvas.uniform(rnd, -radius, radius) - oh / 2;
            g.setColor(Canvas.hsb(rnd, 0, 1, 0.0, 0.5, 0.2, 0.9));
            g.fill(rnd.nextBoolean() ? new Rectangle2D.Double(ox, oy, ow, oh) : new Ellipse2D.Double(ox, oy, ow, oh));
        }
        g.dispose();
        Canvas.addNoise(img, rnd, 6);
        return img;
    }
}
