package org.carotspark.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * "Photos": a coloured object on a plain or gradient background with sensor noise. The ID splits (train,
 * val) use {@link #IMAGENET}; ImageNetV2 is a re-collection with the same recipe but slightly shifted
 * size, colour and background distributions ({@link #IMAGENET_V2}), which costs real models a few points.
 */
final class PhotoStyle implements ImageStyle {

    static final PhotoStyle IMAGENET = new PhotoStyle(0.55, 0.9, 0.0, 1.0, 0.55, 1.0, 0.55, 1.0, 0.4, 20, 4.0);
    static final PhotoStyle IMAGENET_V2 = new PhotoStyle(0.42, 0.78, 0.08, 0.9, 0.35, 0.85, 0.4, 0.9, 0.75, 32, 6.0);

    private final double sizeLo;
    private final double sizeHi;
    private final double hueLo;
    private final double hueHi;
    private final double satLo;
    private final double satHi;
    private final double briLo;
    private final double briHi;
    private final double gradientProbability;
    private final double maxRotationDeg;
    private final double noiseSigma;

    PhotoStyle(double sizeLo, double sizeHi, double hueLo, double hueHi, double satLo, double satHi, double briLo,
               double briHi, double gradientProbability, double maxRotationDeg, double noiseSigma) {
        this.sizeLo = sizeLo;
        this.sizeHi = sizeHi;
        this.hueLo = hueLo;
        this.hueHi = hueHi;
        this.satLo = satLo;
        this.satHi = satHi;
        this.briLo = briLo;
        this.briHi = briHi;
        this.gradientProbability = gradientProbability;
        this.maxRotationDeg = maxRotationDeg;
        this.noiseSigma = noiseSigma;
    }

    @Override
    public BufferedImage render(ShapeKind kind, Random rnd, int w, int h) {
        BufferedImage img = Canvas.blank(w, h);
        Graphics2D g = Canvas.graphics(img);
        Color bg = Canvas.hsb(rnd, 0, 1, 0.05, 0.45, 0.3, 0.95);
        if (rnd.nextDouble() < gradientProbability) {
            Canvas.gradient(g, w, h, bg, Canvas.hsb(rnd, 0, 1, 0.05, 0.45, 0.3, 0.95), rnd);
        } else {
            Canvas.fill(g, w, h, bg);
        }
        Color fg = Canvas.contrasting(Canvas.hsb(rnd, hueLo, hueHi, satLo, satHi, briLo, briHi), bg, 60);
        double radius = Canvas.uniform(rnd, sizeLo, sizeHi) * Math.min(w, h) / 2;
        double cx = Canvas.uniform(rnd, radius, w - radius);
        double cy = Canvas.uniform(rnd, radius, h - radius);
        double angle = Math.toRadians(Canvas.uniform(rnd, -maxRotationDeg, maxRotationDeg));
        Shape s = Canvas.place(kind, cx, cy, radius, angle, false, 1.0);
        g.setColor(fg);
        Canvas.drawObject(g, kind, s, radius);
        g.dispose();
        Canvas.addNoise(img, rnd, noiseSigma);
        return img;
    }
}
