package org.carotspark.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * ObjectNet: objects in unusual poses (any rotation, mirrored, foreshortened) on unusual backgrounds
 * (stripes, checks, a two-tone "tabletop", noise), often off-centre.
 */
final class ObjectNetStyle implements ImageStyle {

    @Override
    public BufferedImage render(ShapeKind kind, Random rnd, int w, int h) {
        BufferedImage img = Canvas.blank(w, h);
        Graphics2D g = Canvas.graphics(img);
        Color a = Canvas.hsb(rnd, 0, 1, 0.1, 0.7, 0.25, 0.95);
        Color b = Canvas.hsb(rnd, 0, 1, 0.1, 0.7, 0.25, 0.95);
        int bgKind = rnd.nextInt(4);
        switch (bgKind) {
            case 0:
                Canvas.stripes(g, w, h, a, b, Canvas.uniform(rnd, 6, 14), rnd.nextDouble() * Math.PI);
                break;
            case 1:
                Canvas.checker(g, w, h, a, b, Canvas.uniformInt(rnd, 5, 12));
                break;
            case 2: { // tabletop: wall above, table below
                int horizon = (int) (h * Canvas.uniform(rnd, 0.3, 0.7));
                g.setColor(a);
                g.fillRect(0, 0, w, horizon);
                g.setColor(b);
                g.fillRect(0, horizon, w, h - horizon);
                break;
            }
            default:
                Canvas.fill(g, w, h, a);
                break;
        }
        double radius = Canvas.uniform(rnd, 0.35, 0.7) * Math.min(w, h) / 2;
        double stretch = Canvas.uniform(rnd, 0.6, 1.0);
        double cx = Canvas.uniform(rnd, radius, w - radius);
        double cy = Canvas.uniform(rnd, radius, h - radius);
        Shape s = Canvas.place(kind, cx, cy, radius, rnd.nextDouble() * 2 * Math.PI, rnd.nextBoolean(), stretch);
        g.setColor(Canvas.contrasting(Canvas.hsb(rnd, 0, 1, 0.3, 1.0, 0.2, 1.0), Canvas.mix(a, b, 0.5), 50));
        Canvas.drawObject(g, kind, s, radius);
        g.dispose();
        if (bgKind == 3) {
            Canvas.addNoise(img, rnd, 18);
        } else {
            Canvas.addNoise(img, rnd, 5);
        }
        return img;
    }
}
