package org.carotspark.corrupt;

import org.carotspark.image.RgbImage;

/**
 * The corruptions' working form: C planes of floats, row-major, values nominally in [0, 1] (the
 * published code works on {@code x / 255}); C = 3 for images, 1 for procedural layers.
 */
final class UnitImage {

    final int width;
    final int height;
    final float[][] planes;

    UnitImage(int width, int height, int channels) {
        this(width, height, new float[channels][width * height]);
    }

    UnitImage(int width, int height, float[][] planes) {
        this.width = width;
        this.height = height;
        this.planes = planes;
    }

    static UnitImage of(RgbImage img) {
        float[][] p = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] src = img.planes()[c];
            p[c] = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                p[c][i] = src[i] / 255f;
            }
        }
        return new UnitImage(img.width(), img.height(), p);
    }

    /** Clipped to [0, 1] and scaled back to 0..255. */
    RgbImage toRgb() {
        float[][] p = new float[3][];
        for (int c = 0; c < 3; c++) {
            p[c] = new float[planes[c].length];
            for (int i = 0; i < p[c].length; i++) {
                p[c][i] = 255f * clip(planes[Math.min(c, planes.length - 1)][i]);
            }
        }
        return new RgbImage(width, height, p);
    }

    int channels() {
        return planes.length;
    }

    UnitImage copy() {
        float[][] p = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            p[c] = planes[c].clone();
        }
        return new UnitImage(width, height, p);
    }

    float get(int c, int x, int y) {
        return planes[c][y * width + x];
    }

    static float clip(float v) {
        return v < 0f ? 0f : Math.min(v, 1f);
    }

    /** The largest value over all planes. */
    float max() {
        float m = Float.NEGATIVE_INFINITY;
        for (float[] p : planes) {
            for (float v : p) {
                m = Math.max(m, v);
            }
        }
        return m;
    }
}
