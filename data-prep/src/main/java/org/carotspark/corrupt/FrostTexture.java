package org.carotspark.corrupt;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Procedurally generated frost textures, standing in for the six photographs of frost on glass that
 * the published ImageNet-C ships (frost1.png … frost6.jpg, not redistributable here): a softly
 * varying icy haze with bright, bluish-white dendritic ice crystals (branches at ±60°) drawn over it.
 * Frost numbers are therefore comparable between runs of this project, not with published IN-C
 * frost results. Textures are fixed (seeded by their index) and built once per JVM.
 */
final class FrostTexture {

    /** Textures to choose from (the published code draws among its first five files). */
    static final int COUNT = 5;
    /** Side of each texture; the corruption crops a reference-size window from it. */
    static final int SIZE = 384;

    private static final UnitImage[] CACHE = new UnitImage[COUNT];

    private FrostTexture() {
    }

    static synchronized UnitImage get(int index) {
        if (CACHE[index] == null) {
            CACHE[index] = generate(index);
        }
        return CACHE[index];
    }

    private static UnitImage generate(int index) {
        SplittableRandom rnd = new SplittableRandom(0xF2057L * 31 + index);
        BufferedImage crystals = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = crystals.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIZE, SIZE);
            int seeds = 26 + rnd.nextInt(12);
            for (int s = 0; s < seeds; s++) {
                double x = rnd.nextDouble(SIZE);
                double y = rnd.nextDouble(SIZE);
                double angle = rnd.nextDouble(2 * Math.PI);
                branch(g, rnd, x, y, angle, 50 + rnd.nextDouble(130), 2.2, 0);
            }
        } finally {
            g.dispose();
        }
        float[] haze = haze(rnd);
        UnitImage out = new UnitImage(SIZE, SIZE, 3);
        float[] tint = {0.86f, 0.93f, 1.0f};
        for (int i = 0; i < SIZE * SIZE; i++) {
            float ice = (crystals.getRGB(i % SIZE, i / SIZE) & 0xff) / 255f;
            float v = UnitImage.clip(haze[i] + 0.6f * ice + (float) rnd.nextDouble(-0.03, 0.03));
            for (int c = 0; c < 3; c++) {
                out.planes[c][i] = v * tint[c];
            }
        }
        return Filters.gaussian(out, 0.6, 4, Filters.Border.REFLECT);
    }

    /** A dendrite: a straight arm with side branches at ±60° that shrink with depth. */
    private static void branch(Graphics2D g, SplittableRandom rnd, double x, double y, double angle, double length,
                               double width, int depth) {
        double ex = x + length * Math.cos(angle);
        double ey = y + length * Math.sin(angle);
        int alpha = Math.max(40, 190 - 60 * depth);
        g.setColor(new Color(255, 255, 255, alpha));
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(x, y, ex, ey));
        if (depth >= 2) {
            return;
        }
        double spacing = 5 + rnd.nextDouble(6);
        for (double t = spacing; t < length; t += spacing) {
            double bx = x + t * Math.cos(angle);
            double by = y + t * Math.sin(angle);
            double sub = (length - t) * (0.25 + rnd.nextDouble(0.3));
            double side = rnd.nextBoolean() ? Math.PI / 3 : -Math.PI / 3;
            branch(g, rnd, bx, by, angle + side, sub, Math.max(0.6, width * 0.55), depth + 1);
        }
    }

    /** Soft low-frequency haze in [0.3, 0.65]: three octaves of bilinearly interpolated random grids. */
    private static float[] haze(SplittableRandom rnd) {
        float[] h = new float[SIZE * SIZE];
        double amplitude = 0.2;
        for (int cells = 4; cells <= 16; cells *= 2) {
            double[] grid = new double[(cells + 1) * (cells + 1)];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = rnd.nextDouble();
            }
            double cell = (double) SIZE / cells;
            for (int y = 0; y < SIZE; y++) {
                double gy = y / cell;
                int y0 = (int) gy;
                double fy = gy - y0;
                for (int x = 0; x < SIZE; x++) {
                    double gx = x / cell;
                    int x0 = (int) gx;
                    double fx = gx - x0;
                    double top = grid[y0 * (cells + 1) + x0] * (1 - fx) + grid[y0 * (cells + 1) + x0 + 1] * fx;
                    double bottom = grid[(y0 + 1) * (cells + 1) + x0] * (1 - fx)
                            + grid[(y0 + 1) * (cells + 1) + x0 + 1] * fx;
                    h[y * SIZE + x] += (float) (amplitude * (top * (1 - fy) + bottom * fy));
                }
            }
            amplitude /= 2;
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = 0.3f + h[i];
        }
        return h;
    }
}
