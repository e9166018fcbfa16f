package org.carotspark.synth;

import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The drawable object categories of the synthetic mini-ImageNet. Each has a unit outline centred on the
 * origin within [-1, 1]² (y down), its synset text (name and synonyms, in the ILSVRC synset-file style)
 * and our own display class name. The first {@link #IMAGENET_CLASSES} are ImageNet-like classes in class
 * order; the rest appear only as unmapped ObjectNet folders (open strokes, never an ImageNet class).
 */
public enum ShapeKind {
    CIRCLE("circle, disc, round shape", "circle"),
    SQUARE("square, quadrate", "square"),
    TRIANGLE("triangle, trigon, trilateral", "triangle"),
    STAR("star, five-pointed star", "star"),
    CROSS("cross, plus sign, Greek cross", "plus sign"),
    RING("ring, annulus, hoop", "ring"),
    HEXAGON("hexagon, hexagonal shape", "hexagon"),
    ARROW("arrow, pointer", "arrow"),
    CRESCENT("crescent, sickle moon", "crescent moon"),
    HEART("heart, love heart", "heart"),
    DIAMOND("diamond, rhombus, lozenge", "diamond"),
    PENTAGON("pentagon", "pentagon"),
    SEMICIRCLE("semicircle, half circle", "half circle"),
    TRAPEZOID("trapezoid, trapezium", "trapezoid"),
    BOLT("lightning bolt, thunderbolt", "lightning bolt"),
    HOURGLASS("hourglass, sandglass", "hourglass"),
    // ObjectNet-only open strokes (not ImageNet classes).
    SPIRAL("spiral, helix", "spiral"),
    ZIGZAG("zigzag, zig-zag line", "zigzag"),
    WAVE("wave, wavy line", "wave");

    /** How many kinds are ImageNet classes (the maximum of {@code carot.generate.classes}). */
    public static final int IMAGENET_CLASSES = 16;

    private final String synset;
    private final String className;

    ShapeKind(String synset, String className) {
        this.synset = synset;
        this.className = className;
    }

    /** Synset text after the wnid, e.g. {@code "circle, disc, round shape"}. */
    public String synset() {
        return synset;
    }

    /** Our display class name (may differ from the first synset name, like OpenAI's curated names). */
    public String className() {
        return className;
    }

    /** Open strokes are drawn as lines, not filled. */
    public boolean isStroke() {
        return ordinal() >= IMAGENET_CLASSES;
    }

    public static List<ShapeKind> imagenetClasses(int n) {
        return List.of(values()).subList(0, n);
    }

    public static List<ShapeKind> unmappedObjectNetKinds() {
        return List.of(SPIRAL, ZIGZAG, WAVE);
    }

    /** The outline in unit coordinates. */
    public Shape unitShape() {
        switch (this) {
            case CIRCLE:
                return new Ellipse2D.Double(-1, -1, 2, 2);
            case SQUARE:
                return new Rectangle2D.Double(-0.85, -0.85, 1.7, 1.7);
            case TRIANGLE:
                return polygon(0, -1, 0.95, 0.75, -0.95, 0.75);
            case STAR:
                return star(5, 1.0, 0.42);
            case CROSS:
                return polygon(-0.3, -1, 0.3, -1, 0.3, -0.3, 1, -0.3, 1, 0.3, 0.3, 0.3, 0.3, 1, -0.3, 1,
                        -0.3, 0.3, -1, 0.3, -1, -0.3, -0.3, -0.3);
            case RING: {
                Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                a.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
                return a;
            }
            case HEXAGON:
                return regular(6, 1.0, 0);
            case ARROW:
                return polygon(-1, -0.22, 0.15, -0.22, 0.15, -0.65, 1, 0, 0.15, 0.65, 0.15, 0.22, -1, 0.22);
            case CRESCENT: {
                Area a = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
                a.subtract(new Area(new Ellipse2D.Double(-0.45, -1.05, 1.75, 1.75)));
                return a;
            }
            case HEART: {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(0, 1);
                p.curveTo(-0.35, 0.65, -1.05, 0.25, -1, -0.35);
                p.curveTo(-0.95, -0.95, -0.2, -1.05, 0, -0.5);
                p.curveTo(0.2, -1.05, 0.95, -0.95, 1, -0.35);
                p.curveTo(1.05, 0.25, 0.35, 0.65, 0, 1);
                p.closePath();
                return p;
            }
            case DIAMOND:
                return polygon(0, -1, 0.6, 0, 0, 1, -0.6, 0);
            case PENTAGON:
                return regular(5, 1.0, -Math.PI / 2);
            case SEMICIRCLE:
                return new Arc2D.Double(-1, -0.6, 2, 2, 0, 180, Arc2D.PIE);
            case TRAPEZOID:
                return polygon(-0.5, -0.6, 0.5, -0.6, 1, 0.6, -1, 0.6);
            case BOLT:
                return polygon(0.2, -1, -0.6, 0.15, -0.05, 0.15, -0.3, 1, 0.6, -0.25, 0.05, -0.25, 0.35, -1);
            case HOURGLASS:
                return polygon(-0.75, -1, 0.75, -1, 0.1, 0, 0.75, 1, -0.75, 1, -0.1, 0);
            case SPIRAL: {
                Path2D.Double p = new Path2D.Double();
                for (int i = 0; i <= 120; i++) {
                    double t = i / 120.0 * 3 * 2 * Math.PI;
                    double r = 0.08 + 0.9 * i / 120.0;
                    double x = r * Math.cos(t);
                    double y = r * Math.sin(t);
                    if (i == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                return p;
            }
            case ZIGZAG: {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(-1, 0.5);
                for (int i = 1; i <= 6; i++) {
                    p.lineTo(-1 + i / 3.0, (i % 2 == 0) ? 0.5 : -0.5);
                }
                return p;
            }
            case WAVE: {
                Path2D.Double p = new Path2D.Double();
                for (int i = 0; i <= 80; i++) {
                    double x = -1 + 2.0 * i / 80;
                    double y = 0.45 * Math.sin(x * 2.5 * Math.PI);
                    if (i == 0) {
                        p.moveTo(x, y);
                    } else {
                        p.lineTo(x, y);
                    }
                }
                return p;
            }
            default:
                throw new IllegalStateException("no outline for " + this);
        }
    }

    private static Shape polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    private static Shape regular(int n, double r, double phase) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = phase + 2 * Math.PI * i / n;
            xy[2 * i] = r * Math.cos(a);
            xy[2 * i + 1] = r * Math.sin(a);
        }
        return polygon(xy);
    }

    private static Shape star(int points, double outer, double inner) {
        double[] xy = new double[4 * points];
        for (int i = 0; i < 2 * points; i++) {
            double a = -Math.PI / 2 + Math.PI * i / points;
            double r = i % 2 == 0 ? outer : inner;
            xy[2 * i] = r * Math.cos(a);
            xy[2 * i + 1] = r * Math.sin(a);
        }
        return polygon(xy);
    }
}
