package org.carotspark.image;

import org.carotspark.seed.Seeds;

import java.io.Serializable;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * CLIP's training transform as open_clip builds it: torchvision's
 * {@code RandomResizedCrop(S, scale=(0.9, 1.0), ratio=(3/4, 4/3), interpolation=BICUBIC)} on the
 * full image, then the evaluation transform's {@link ClipNormalization}. The crop follows
 * torchvision's algorithm: up to ten tries of a random area fraction and log-uniform aspect ratio,
 * else the centre crop of the clamped ratio; the crop is resized to S×S with Pillow's bicubic.
 * Randomness comes only from (seed, image id, epoch), so every executor draws the same crop for the
 * same image and epoch, and each epoch a new one.
 */
public final class ClipTrainTransform implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final double MIN_SCALE = 0.9;
    public static final double MAX_SCALE = 1.0;
    public static final double MIN_RATIO = 3.0 / 4.0;
    public static final double MAX_RATIO = 4.0 / 3.0;
    private static final int ATTEMPTS = 10;

    /** A crop rectangle in pixels: [left, left + width) × [top, top + height). */
    public record CropBox(int left, int top, int width, int height) implements Serializable {
    }

    private final int size;
    private final long seed;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /** open_clip's training transform for images of size S. */
    public ClipTrainTransform(int size, long seed) {
        this(size, seed, MIN_SCALE, MAX_SCALE, MIN_RATIO, MAX_RATIO);
    }

    public ClipTrainTransform(int size, long seed, double minScale, double maxScale, double minRatio, double maxRatio) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1 && minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("need 0 < minScale <= maxScale <= 1 and 0 < minRatio <= maxRatio, got scale ("
                    + minScale + ", " + maxScale + "), ratio (" + minRatio + ", " + maxRatio + ")");
        }
        this.size = size;
        this.seed = seed;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    public int size() {
        return size;
    }

    /** The normalised S×S crop of {@code img} for this image and epoch, CHW. */
    public float[] apply(RgbImage img, String imageId, int epoch) {
        CropBox b = cropBox(img.width(), img.height(), imageId, epoch);
        RgbImage crop = img.crop(b.left(), b.top(), b.width(), b.height());
        return ClipNormalization.toChw(BicubicResampler.resize(crop, size, size));
    }

    /** The crop this transform takes from a width × height image for (image id, epoch). */
    public CropBox cropBox(int width, int height, String imageId, int epoch) {
        return sampleCrop(width, height, minScale, maxScale, minRatio, maxRatio, random(imageId, epoch));
    }

    /** The random stream of one (image, epoch) under this transform's seed. */
    SplittableRandom random(String imageId, int epoch) {
        return Seeds.random(seed, "random-resized-crop", imageId, epoch);
    }

    /** torchvision's {@code RandomResizedCrop.get_params}, with Python's round-half-even. */
    public static CropBox sampleCrop(int width, int height, double minScale, double maxScale, double minRatio,
                                     double maxRatio, RandomGenerator rng) {
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * uniform(rng, minScale, maxScale);
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new CropBox(left, top, w, h);
            }
        }
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < minRatio) {
            w = width;
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = height;
            w = (int) Math.rint(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        return new CropBox((width - w) / 2, (height - h) / 2, w, h);
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
