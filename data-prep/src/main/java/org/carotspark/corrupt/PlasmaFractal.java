package org.carotspark.corrupt;

import java.util.random.RandomGenerator;

/**
 * The fog corruption's height map: the diamond-square algorithm on a wrapping square grid, as the
 * published ImageNet-C code builds it (each new point = mean of its four neighbours +
 * wibble · U(−wibble, wibble), wibble starting at 100 and divided by the decay per level), scaled to
 * [0, 1]. Our own implementation and random stream; the same distribution of maps.
 */
final class PlasmaFractal {

    private PlasmaFractal() {
    }

    /** A {@code size} × {@code size} map, size a power of two. */
    static UnitImage generate(int size, double wibbleDecay, RandomGenerator rnd) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("plasma map size must be a power of two, got " + size);
        }
        double[] m = new double[size * size];
        double wibble = 100;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            for (int y = 0; y < size; y += step) {
                for (int x = 0; x < size; x += step) {
                    double corners = at(m, size, y, x) + at(m, size, y + step, x) + at(m, size, y, x + step)
                            + at(m, size, y + step, x + step);
                    m[(y + half) * size + x + half] = corners / 4 + wibble * uniform(rnd, wibble);
                }
            }
            for (int y = 0; y < size; y += step) {
                for (int x = 0; x < size; x += step) {
                    // (y, x + half): square centres above and below, grid corners left and right
                    double horizontal = at(m, size, y + half, x + half) + at(m, size, y - half, x + half)
                            + at(m, size, y, x) + at(m, size, y, x + step);
                    m[y * size + x + half] = horizontal / 4 + wibble * uniform(rnd, wibble);
                    // (y + half, x): square centres left and right, grid corners above and below
                    double vertical = at(m, size, y + half, x + half) + at(m, size, y + half, x - half)
                            + at(m, size, y, x) + at(m, size, y + step, x);
                    m[(y + half) * size + x] = vertical / 4 + wibble * uniform(rnd, wibble);
                }
            }
            wibble /= wibbleDecay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        UnitImage out = new UnitImage(size, size, 1);
        for (int i = 0; i < m.length; i++) {
            out.planes[0][i] = (float) ((m[i] - min) / (max - min));
        }
        return out;
    }

    private static double at(double[] m, int size, int y, int x) {
        return m[Math.floorMod(y, size) * size + Math.floorMod(x, size)];
    }

    private static double uniform(RandomGenerator rnd, double half) {
        return rnd.nextDouble(-half, half);
    }
}
