package org.carotspark.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * The prep image pipeline, CLIP-style: decode → RGB → resize the shorter side to S with antialiased bicubic
 * → centre crop S×S → JPEG. Output length and crop offsets follow torchvision's {@code Resize(S)} +
 * {@code CenterCrop(S)}: long side = floor(S·long/short), offset = round-half-even((len − S)/2).
 *
 * <p>{@link #keepingAspect()} stores training images whole instead, for the executor's random resized crop:
 * the shorter side resized to S and the longer side kept, up to {@value #MAX_ASPECT}× the shorter (centred).
 * Beyond that nothing is lost: {@code RandomResizedCrop(scale=(0.9, 1), ratio=(3/4, 4/3))} cannot place a crop
 * in an image longer than about 1.48:1 and falls back to its centre 4:3 crop, which the cut keeps.
 */
public final class ImagePreprocessor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int size;
    private final int jpegQuality;
    private final int borderCrop;
    private final DecodeLimits limits;
    private final boolean centreCrop;

    /** The longest stored side of a whole training image, in multiples of its shorter side. */
    public static final int MAX_ASPECT = 2;

    public ImagePreprocessor(int size, int jpegQuality) {
        this(size, jpegQuality, DecodeLimits.DEFAULT);
    }

    public ImagePreprocessor(int size, int jpegQuality, DecodeLimits limits) {
        this(size, jpegQuality, 0, limits, true);
    }

    private ImagePreprocessor(int size, int jpegQuality, int borderCrop, DecodeLimits limits, boolean centreCrop) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, got " + jpegQuality);
        }
        if (borderCrop < 0) {
            throw new IllegalArgumentException("border crop must be >= 0, got " + borderCrop);
        }
        this.size = size;
        this.jpegQuality = jpegQuality;
        this.borderCrop = borderCrop;
        this.limits = limits;
        this.centreCrop = centreCrop;
    }

    /** The same pipeline, first cropping {@code pixels} from each side of the decoded image (ObjectNet's border). */
    public ImagePreprocessor withBorderCrop(int pixels) {
        return pixels == borderCrop ? this : new ImagePreprocessor(size, jpegQuality, pixels, limits, centreCrop);
    }

    /** The same pipeline keeping the image's aspect (up to {@value #MAX_ASPECT}:1): S is its shorter side. */
    public ImagePreprocessor keepingAspect() {
        return centreCrop ? new ImagePreprocessor(size, jpegQuality, borderCrop, limits, false) : this;
    }

    /** Whether images are centre-cropped to S×S (else stored with shorter side S). */
    public boolean centreCrops() {
        return centreCrop;
    }

    public int size() {
        return size;
    }

    /**
     * Raw file bytes → S×S RGB JPEG bytes (or shorter side S, {@link #keepingAspect()}).
     *
     * @throws ImageTooLargeException when the header claims more pixels than the limit (nothing decoded)
     */
    public byte[] process(byte[] raw) throws ImageDecodeException {
        RgbImage img = cropBorder(ImageDecoder.decode(raw, limits), borderCrop);
        return encodeJpeg(centreCrop ? resizeAndCrop(img, size) : resizeKeepingAspect(img, size), jpegQuality);
    }

    /** The centre of the image at most {@value #MAX_ASPECT}:1, shorter side resized to {@code s}. */
    public static RgbImage resizeKeepingAspect(RgbImage img, int s) {
        int shorter = Math.min(img.width(), img.height());
        long maxLonger = (long) MAX_ASPECT * shorter;
        RgbImage kept = img;
        if (img.width() > maxLonger) {
            kept = img.crop(cropOffset(img.width(), (int) maxLonger), 0, (int) maxLonger, img.height());
        } else if (img.height() > maxLonger) {
            kept = img.crop(0, cropOffset(img.height(), (int) maxLonger), img.width(), (int) maxLonger);
        }
        int[] dims = resizedDims(kept.width(), kept.height(), s);
        return BicubicResampler.resize(kept, dims[0], dims[1]);
    }

    /** The image without {@code pixels} on each side (PIL's crop((p, p, w − p, h − p))); unchanged when too small. */
    public static RgbImage cropBorder(RgbImage img, int pixels) {
        if (pixels == 0 || img.width() <= 2 * pixels || img.height() <= 2 * pixels) {
            return img;
        }
        return img.crop(pixels, pixels, img.width() - 2 * pixels, img.height() - 2 * pixels);
    }

    /** Resize the shorter side to {@code s}, then centre-crop s×s. */
    public static RgbImage resizeAndCrop(RgbImage img, int s) {
        int[] dims = resizedDims(img.width(), img.height(), s);
        RgbImage resized = BicubicResampler.resize(img, dims[0], dims[1]);
        return centerCrop(resized, s);
    }

    /** Output {width, height} of resizing the shorter side to s (torchvision semantics: long side truncated). */
    public static int[] resizedDims(int width, int height, int s) {
        if (width <= height) {
            return new int[]{s, Math.max(1, (int) ((long) s * height / width))};
        }
        return new int[]{Math.max(1, (int) ((long) s * width / height)), s};
    }

    /** Offset of a centred crop of length {@code crop} in {@code length} (round half to even, as Python). */
    public static int cropOffset(int length, int crop) {
        return (int) Math.rint((length - crop) / 2.0);
    }

    public static RgbImage centerCrop(RgbImage img, int s) {
        if (img.width() < s || img.height() < s) {
            throw new IllegalArgumentException("cannot crop " + s + "x" + s + " from " + img.width() + "x"
                    + img.height());
        }
        return img.crop(cropOffset(img.width(), s), cropOffset(img.height(), s), s, s);
    }

    public static byte[] encodeJpeg(RgbImage img, int quality) {
        return encodeJpeg(img.toBufferedImage(), quality);
    }

    public static byte[] encodeJpeg(BufferedImage img, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(img, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }
}
