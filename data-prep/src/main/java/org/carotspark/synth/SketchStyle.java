package org.carotspark.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.image.BufferedImage;
import java.util.Random;

/** ImageNet-Sketch: black, slightly wobbly hand-drawn outlines on white, sometimes with hatching. */
final class SketchStyle implements ImageStyle {

    @Override
    public BufferedImage render(ShapeKind kind, Random rnd, int w, int h) {
        BufferedImage img = Canvas.blank(w, h);
        Graphics2D g = Canvas.graphics(img);
        Canvas.fill(g, w, h, new Color(250, 250, 248));
        double radius = Canvas.uniform(rnd, 0.5, 0.85) * Math.min(w, h) / 2;
        double cx = Canvas.uniform(rnd, radius, w - radius);
        double cy = Canvas.uniform(rnd, radius, h - radius);
        Shape s = Canvas.place(kind, cx, cy, radius, Math.toRadians(Canvas.uniform(rnd, -15, 15)), false, 1.0);
        int grey = Canvas.uniformInt(rnd, 0, 60);
        g.setColor(new Color(grey, grey, grey));
        int passes = 1 + rnd.nextInt(2);
        for (int p = 0; p < passes; p++) {
            g.setStroke(new BasicStroke((float) Canvas.uniform(rnd, 1.0, 2.4), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.draw(wobble(s, rnd, Math.max(0.6, radius * 0.04)));
        }
        if (!kind.isStroke() && rnd.nextDouble() < 0.35) {
            // Pencil hatching clipped to the object.
            g.setClip(s);
            g.setStroke(new BasicStroke(0.8f));
            double step = Canvas.uniform(rnd, 3.5, 6);
            for (double d = -w - h; d < w + h; d += step) {
                g.drawLine((int) d, 0, (int) (d + h), h);
            }
            g.setClip(null);
        }
        g.dispose();
        return img;
    }

    /** The outline flattened to a polyline whose vertices are jittered, like a hand-drawn stroke. */
    private static Shape wobble(Shape s, Random rnd, double amount) {
        Path2D.Double out = new Path2D.Double();
        PathIterator it = s.getPathIterator(new AffineTransform(), 1.0);
        double[] c = new double[6];
        while (!it.isDone()) {
            int type = it.currentSegment(c);
            double x = c[0] + rnd.nextGaussian() * amount;
            double y = c[1] + rnd.nextGaussian() * amount;
            if (type == PathIterator.SEG_MOVETO) {
                out.moveTo(x, y);
            } else if (type == PathIterator.SEG_LINETO) {
                out.lineTo(x, y);
            } else if (type == PathIterator.SEG_CLOSE) {
                out.closePath();
            }
            it.next();
        }
        return out;
    }
}
