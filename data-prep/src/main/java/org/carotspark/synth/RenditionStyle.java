package org.carotspark.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.TexturePaint;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * ImageNet-R: renditions of the object instead of photos. The file-name prefix is the rendition type,
 * as in the real dataset: textured ("art"), cartoon (flat pastel + thick outline), neon/greyscale palettes
 * ("graphic") and dotted patterns ("pattern").
 */
final class RenditionStyle implements ImageStyle {

    static final String[] TYPES = {"art", "cartoon", "graphic", "pattern"};

    /** The rendition type of the j-th image of a class (cycles so every type appears). */
    static String typeOf(int j) {
        return TYPES[j % TYPES.length];
    }

    private final String type;

    RenditionStyle(String type) {
        this.type = type;
    }

    @Override
    public BufferedImage render(ShapeKind kind, Random rnd, int w, int h) {
        BufferedImage img = Canvas.blank(w, h);
        Graphics2D g = Canvas.graphics(img);
        double radius = Canvas.uniform(rnd, 0.5, 0.85) * Math.min(w, h) / 2;
        double cx = Canvas.uniform(rnd, radius, w - radius);
        double cy = Canvas.uniform(rnd, radius, h - radius);
        Shape s = Canvas.place(kind, cx, cy, radius, Math.toRadians(Canvas.uniform(rnd, -25, 25)), false, 1.0);
        switch (type) {
            case "art": {
                Canvas.fill(g, w, h, Canvas.hsb(rnd, 0, 1, 0.1, 0.3, 0.85, 1.0));
                g.setPaint(texture(rnd));
                Canvas.drawObject(g, kind, s, radius);
                break;
            }
            case "cartoon": {
                Canvas.fill(g, w, h, Canvas.hsb(rnd, 0, 1, 0.5, 0.9, 0.9, 1.0));
                g.setColor(Canvas.hsb(rnd, 0, 1, 0.25, 0.45, 0.95, 1.0));
                Canvas.drawObject(g, kind, s, radius);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke((float) Math.max(2.0, radius * 0.12), BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND));
                g.draw(s);
                break;
            }
            case "graphic": {
                boolean neon = rnd.nextBoolean();
                if (neon) {
                    Canvas.fill(g, w, h, Canvas.hsb(rnd, 0, 1, 0.3, 0.8, 0.02, 0.15));
                    Color glow = Canvas.hsb(rnd, 0, 1, 0.9, 1.0, 0.9, 1.0);
                    g.setColor(Canvas.mix(glow, Color.BLACK, 0.5));
                    g.setStroke(new BasicStroke((float) Math.max(3.0, radius * 0.25), BasicStroke.CAP_ROUND,
                            BasicStroke.JOIN_ROUND));
                    g.draw(s);
                    g.setColor(glow);
                    g.setStroke(new BasicStroke((float) Math.max(1.5, radius * 0.08)));
                    g.draw(s);
                } else {
                    int bgGrey = Canvas.uniformInt(rnd, 150, 235);
                    Canvas.fill(g, w, h, new Color(bgGrey, bgGrey, bgGrey));
                    int fgGrey = Canvas.uniformInt(rnd, 0, 90);
                    g.setColor(new Color(fgGrey, fgGrey, fgGrey));
                    Canvas.drawObject(g, kind, s, radius);
                }
                break;
            }
            default: { // pattern: the object made of dots
                Color bg = Canvas.hsb(rnd, 0.08, 0.16, 0.05, 0.2, 0.9, 1.0);
                Canvas.fill(g, w, h, bg);
                Shape area = kind.isStroke()
                        ? new BasicStroke((float) Math.max(3.0, radius * 0.25)).createStrokedShape(s) : s;
                Rectangle b = area.getBounds();
                double dot = Math.max(1.2, radius * 0.07);
                int dots = (int) (b.width * b.height / (dot * dot) * 0.9);
                for (int i = 0; i < dots; i++) {
                    double x = b.x + rnd.nextDouble() * b.width;
                    double y = b.y + rnd.nextDouble() * b.height;
                    if (area.contains(x, y)) {
                        g.setColor(Canvas.contrasting(Canvas.hsb(rnd, 0, 1, 0.6, 1.0, 0.4, 0.9), bg, 60));
                        g.fill(new Ellipse2D.Double(x - dot / 2, y - dot / 2, dot, dot));
                    }
                }
                break;
            }
        }
        g.dispose();
        return img;
    }

    /** Stripes, checks or dots in two random colours, as a repeating paint. */
    private static TexturePaint texture(Random rnd) {
        int cell = Canvas.uniformInt(rnd, 4, 8);
        BufferedImage tile = Canvas.blank(cell * 2, cell * 2);
        Graphics2D t = Canvas.graphics(tile);
        Color a = Canvas.hsb(rnd, 0, 1, 0.6, 1.0, 0.3, 0.7);
        Color b = Canvas.hsb(rnd, 0, 1, 0.6, 1.0, 0.7, 1.0);
        int kind = rnd.nextInt(3);
        Canvas.fill(t, cell * 2, cell * 2, a);
        t.setColor(b);
        if (kind == 0) {
            t.fillRect(0, 0, cell, cell * 2);
        } else if (kind == 1) {
            t.fillRect(0, 0, cell, cell);
            t.fillRect(cell, cell, cell, cell);
        } else {
            t.fillOval(cell / 2, cell / 2, cell, cell);
        }
        t.dispose();
        return new TexturePaint(tile, new Rectangle(0, 0, cell * 2, cell * 2));
    }
}
