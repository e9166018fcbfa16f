package org.carotspark.image;

import java.io.Serializable;

/**
 * CLIP's evaluation transform (open_clip / torchvision on a PIL image): shorter side to S with
 * Pillow's bicubic, centre crop S×S, RGB, {@link ClipNormalization} → float[3·S·S] in CHW order. The
 * resize and crop are {@link ImagePreprocessor#resizeAndCrop}, the same code prep uses.
 */
public final class ClipEvalTransform implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int size;

    public ClipEvalTransform(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    public float[] apply(RgbImage img) {
        return ClipNormalization.toChw(ImagePreprocessor.resizeAndCrop(img, size));
    }

    /** Any ImageIO-readable file's bytes (JPEG, PNG, BMP, GIF). */
    public float[] apply(byte[] encoded) throws ImageDecodeException {
        return apply(ImageDecoder.decode(encoded));
    }
}
