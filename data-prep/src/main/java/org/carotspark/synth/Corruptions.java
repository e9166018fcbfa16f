package org.carotspark.synth;

import org.carotspark.image.ImagePreprocessor;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * ImageNet-C style corruptions at severities 1..5, under their real ImageNet-C names. Parameters follow the
 * published per-severity settings (noise σ, contrast factor, JPEG quality, ...), with blur radii scaled
 * from ImageNet-C's 224-pixel images to the image at hand.
 */
public final class Corruptions {

    /** The corruption types this generator can apply (a subset of ImageNet-C's 15). */
    public static final List<String> SUPPORTED = List.of(
            "gaussian_noise", "impulse_noise", "defocus_blur", "brightness", "contrast", "pixelate",
            "jpeg_compression");

    private static final double[] GAUSSIAN_SIGMA = {0.08, 0.12, 0.18, 0.26, 0.38};
    private static final double[] IMPULSE_AMOUNT = {0.03, 0.06, 0.09, 0.17, 0.27};
    private static final double[] DEFOCUS_RADIUS = {3, 4, 6, 8, 10};
    private static final double[] BRIGHTNESS = {0.1, 0.2, 0.3, 0.4, 0.5};
    private static final double[] CONTRAST = {0.4, 0.3, 0.2, 0.1, 0.05};
    private static final double[] PIXELATE = {0.6, 0.5, 0.4, 0.3, 0.25};
    private static final int[] JPEG_QUALITY = {25, 18, 15, 10, 7};

    private Corruptions() {
    }

    public static BufferedImage apply(String corruption, int severity, BufferedImage src, Random rnd) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be 1..5, got " + severity);
        }
        int s = severity - 1;
        switch (corruption) {
            case "gaussian_noise":
                return perPixel(src, v -> v + rnd.nextGaussian() * GAUSSIAN_SIGMA[s] * 255);
            case "impulse_noise":
                return impulse(src, IMPULSE_AMOUNT[s], rnd);
            case "defocus_blur":
                return defocus(src, DEFOCUS_RADIUS[s] * Math.min(src.getWidth(), src.getHeight()) / 224.0);
            case "brightness":
                return brightness(src, BRIGHTNESS[s]);
            case "contrast":
                return contrast(src, CONTRAST[s]);
            case "pixelate":
                return pixelate(src, PIXELATE[s]);
            case "jpeg_compression":
                return jpeg(src, JPEG_QUALITY[s]);
            default:
                throw new IllegalArgumentException("unsupported corruption '" + corruption + "' (supported: "
                        + SUPPORTED + ")");
        }
    }

    private interface ChannelOp {
        double apply(double v);
    }

    private static BufferedImage perPixel(BufferedImage src, ChannelOp op) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int r = round(op.apply((p >> 16) & 0xff));
            int g = round(op.apply((p >> 8) & 0xff));
            int b = round(op.apply(p & 0xff));
            px[i] = (r << 16) | (g << 8) | b;
        }
        return image(w, h, px);
    }

    private static BufferedImage impulse(BufferedImage src, double amount, Random rnd) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            int[] c = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
            for (int k = 0; k < 3; k++) {
                if (rnd.nextDouble() < amount) {
                    c[k] = rnd.nextBoolean() ? 255 : 0;
                }
            }
            px[i] = (c[0] << 16) | (c[1] << 8) | c[2];
        }
        return image(w, h, px);
    }

    /** Convolution with an antialiased disk of the given radius (edge pixels replicated). */
    private static BufferedImage defocus(BufferedImage src, double radius) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        int k = (int) Math.ceil(radius);
        int size = 2 * k + 1;
        double[] kernel = new double[size * size];
        double sum = 0;
        for (int dy = -k; dy <= k; dy++) {
            for (int dx = -k; dx <= k; dx++) {
                double d = Math.hypot(dx, dy);
                double v = Math.max(0, Math.min(1, radius + 0.5 - d));
                kernel[(dy + k) * size + dx + k] = v;
                sum += v;
            }
        }
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int dy = -k; dy <= k; dy++) {
                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int dx = -k; dx <= k; dx++) {
                        double wgt = kernel[(dy + k) * size + dx + k];
                        if (wgt == 0) {
                            continue;
                        }
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        int p = px[yy * w + xx];
                        r += wgt * ((p >> 16) & 0xff);
                        g += wgt * ((p >> 8) & 0xff);
                        b += wgt * (p & 0xff);
                    }
                }
                out[y * w + x] = (round(r / sum) << 16) | (round(g / sum) << 8) | round(b / sum);
            }
        }
        return image(w, h, out);
    }

    private static BufferedImage brightness(BufferedImage src, double delta) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        float[] hsb = new float[3];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            Color.RGBtoHSB((p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff, hsb);
            px[i] = Color.HSBtoRGB(hsb[0], hsb[1], (float) Math.min(1.0, hsb[2] + delta)) & 0xffffff;
        }
        return image(w, h, px);
    }

    private static BufferedImage contrast(BufferedImage src, double factor) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        double mean = 0;
        for (int p : px) {
            mean += ((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff);
        }
        double m = mean / (3.0 * px.length);
        return perPixel(src, v -> (v - m) * factor + m);
    }

    private static BufferedImage pixelate(BufferedImage src, double factor) {
        int w = src.getWidth();
        int h = src.getHeight();
        int sw = Math.max(1, (int) (w * factor));
        int sh = Math.max(1, (int) (h * factor));
        int[] px = src.getRGB(0, 0, w, h, null, 0, w);
        // Box-average down to sw×sh, then nearest-neighbour back up.
        double[][] acc = new double[3][sw * sh];
        int[] cnt = new int[sw * sh];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(sh - 1, y * sh / h);
            for (int x = 0; x < w; x++) {
                int sx = Math.min(sw - 1, x * sw / w);
                int p = px[y * w + x];
                int j = sy * sw + sx;
                acc[0][j] += (p >> 16) & 0xff;
                acc[1][j] += (p >> 8) & 0xff;
                acc[2][j] += p & 0xff;
                cnt[j]++;
            }
        }
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            int sy = Math.min(sh - 1, y * sh / h);
            for (int x = 0; x < w; x++) {
                int j = sy * sw + Math.min(sw - 1, x * sw / w);
                int n = Math.max(1, cnt[j]);
                out[y * w + x] = (round(acc[0][j] / n) << 16) | (round(acc[1][j] / n) << 8) | round(acc[2][j] / n);
            }
        }
        return image(w, h, out);
    }

    private static BufferedImage jpeg(BufferedImage src, int quality) {
        byte[] bytes = ImagePreprocessor.encodeJpeg(src, quality);
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
            BufferedImage rgb = Canvas.blank(decoded.getWidth(), decoded.getHeight());
            rgb.setRGB(0, 0, decoded.getWidth(), decoded.getHeight(),
                    decoded.getRGB(0, 0, decoded.getWidth(), decoded.getHeight(), null, 0, decoded.getWidth()), 0,
                    decoded.getWidth());
            return rgb;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage image(int w, int h, int[] px) {
        BufferedImage img = Canvas.blank(w, h);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    private static int round(double v) {
        long r = Math.round(v);
        return r < 0 ? 0 : (int) Math.min(r, 255);
    }
}
