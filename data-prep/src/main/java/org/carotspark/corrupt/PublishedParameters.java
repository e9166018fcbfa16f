package org.carotspark.corrupt;

/**
 * The per-severity parameters of ImageNet-C as Hendrycks &amp; Dietterich (2019) generated it (their
 * {@code make_imagenet_c.py}), for 224 × 224 images; index = severity − 1. Lengths and spatial
 * parameters are in pixels of that 224-pixel image ({@link ImageNetC} scales them to other sizes).
 */
public final class PublishedParameters {

    /** σ of additive Gaussian noise on [0, 1] pixel values. */
    public static final double[] GAUSSIAN_NOISE = {0.08, 0.12, 0.18, 0.26, 0.38};
    /** Photons per unit intensity: x ← Poisson(x·c) / c. */
    public static final double[] SHOT_NOISE = {60, 25, 12, 5, 3};
    /** Fraction of channel values replaced by salt or pepper. */
    public static final double[] IMPULSE_NOISE = {0.03, 0.06, 0.09, 0.17, 0.27};
    /** {disk radius, σ of the Gaussian that antialiases the disk}. */
    public static final double[][] DEFOCUS_BLUR = {{3, 0.1}, {4, 0.5}, {6, 0.5}, {8, 0.5}, {10, 0.5}};
    /** {Gaussian σ, max pixel displacement of the local shuffle, shuffle iterations}. */
    public static final double[][] GLASS_BLUR = {{0.7, 1, 2}, {0.9, 2, 1}, {1, 2, 3}, {1.1, 3, 2}, {1.5, 4, 2}};
    /** {radius, σ} of ImageMagick's motion blur; the angle is uniform in [−45°, 45°). */
    public static final double[][] MOTION_BLUR = {{10, 3}, {15, 5}, {15, 8}, {15, 12}, {20, 15}};
    /** numpy {@code arange(1, stop, step)}: {stop, step} of the zoom factors averaged. */
    public static final double[][] ZOOM_BLUR = {{1.11, 0.01}, {1.16, 0.01}, {1.21, 0.02}, {1.26, 0.02}, {1.31, 0.03}};
    /** {mean, σ of the snow noise, zoom, threshold, motion radius, motion σ, blend of the image}. */
    public static final double[][] SNOW = {
        {0.1, 0.3, 3, 0.5, 10, 4, 0.8},
        {0.2, 0.3, 2, 0.5, 12, 4, 0.7},
        {0.55, 0.3, 4, 0.9, 12, 8, 0.7},
        {0.55, 0.3, 4.5, 0.85, 12, 8, 0.65},
        {0.55, 0.3, 2.5, 0.85, 12, 12, 0.55}};
    /** {weight of the image, weight of the frost texture}. */
    public static final double[][] FROST = {{1, 0.4}, {0.8, 0.6}, {0.7, 0.7}, {0.65, 0.7}, {0.6, 0.75}};
    /** {fog strength, wibble decay of the plasma fractal}. */
    public static final double[][] FOG = {{1.5, 2}, {2, 2}, {2.5, 1.7}, {2.5, 1.5}, {3, 1.4}};
    /** Added to the HSV value channel. */
    public static final double[] BRIGHTNESS = {0.1, 0.2, 0.3, 0.4, 0.5};
    /** Factor on the deviation from each channel's mean. */
    public static final double[] CONTRAST = {0.4, 0.3, 0.2, 0.1, 0.05};
    /**
     * {α (displacement scale), σ (displacement smoothing), affine jitter}; the published code writes
     * them as multiples of 244 ("should have been 224, but ultimately nothing is incorrect").
     */
    public static final double[][] ELASTIC_TRANSFORM = {
        {244 * 2, 244 * 0.7, 244 * 0.1},
        {244 * 2, 244 * 0.08, 244 * 0.2},
        {244 * 0.05, 244 * 0.01, 244 * 0.02},
        {244 * 0.07, 244 * 0.01, 244 * 0.02},
        {244 * 0.12, 244 * 0.01, 244 * 0.02}};
    /** Side factor of the box down-and-up resize. */
    public static final double[] PIXELATE = {0.6, 0.5, 0.4, 0.3, 0.25};
    /** JPEG quality. */
    public static final int[] JPEG_QUALITY = {25, 18, 15, 10, 7};
    /** The image side these parameters were published for. */
    public static final int REFERENCE_SIZE = 224;
    /** JPEG quality of the published ImageNet-C files. */
    public static final int OUTPUT_JPEG_QUALITY = 85;

    private PublishedParameters() {
    }

    /** The zoom factors of a severity as numpy's {@code arange(1, stop, step)} yields them (float length rule). */
    public static double[] zoomFactors(int severity) {
        double stop = ZOOM_BLUR[severity - 1][0];
        double step = ZOOM_BLUR[severity - 1][1];
        int n = (int) Math.ceil((stop - 1.0) / step);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = 1.0 + i * step;
        }
        return z;
    }
}
