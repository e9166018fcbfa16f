package org.carotspark.image;

import java.awt.image.BufferedImage;

/** An RGB image as three float planes (row-major, values nominally 0..255): the resampler's working form. */
public final class RgbImage {
    private final int width;
    private final int height;
    /** planes[c][y * width + x], c = 0 red, 1 green, 2 blue. */
    private final float[][] planes;

    public RgbImage(int width, int height) {
        this(width, height, new float[3][width * height]);
    }

    public RgbImage(int width, int height, float[][] planes) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (planes.length != 3 || planes[0].length != width * height || planes[1].length != width * height
                || planes[2].length != width * height) {
            throw new IllegalArgumentException("planes do not match " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float[][] planes() {
        return planes;
    }

    public float get(int channel, int x, int y) {
        return planes[channel][y * width + x];
    }

    public void set(int channel, int x, int y, float v) {
        planes[channel][y * width + x] = v;
    }

    /** From an 8-bit-per-channel packed-RGB BufferedImage (use {@link ImageDecoder} for arbitrary inputs). */
    public static RgbImage fromPackedRgb(int width, int height, int[] rgb) {
        RgbImage img = new RgbImage(width, height);
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            img.planes[0][i] = (p >> 16) & 0xff;
            img.planes[1][i] = (p >> 8) & 0xff;
            img.planes[2][i] = p & 0xff;
        }
        return img;
    }

    /** Rounds to the nearest integer and clamps to 0..255. */
    public static int toByte(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(i, 255);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (toByte(planes[0][i]) << 16) | (toByte(planes[1][i]) << 8) | toByte(planes[2][i]);
        }
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    /** The rectangle [x0, x0+w) × [y0, y0+h) as a new image. */
    public RgbImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside "
                    + width + "x" + height);
        }
        RgbImage out = new RgbImage(w, h);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(planes[c], (y0 + y) * width + x0, out.planes[c], y * w, w);
            }
        }
        return out;
    }
}
