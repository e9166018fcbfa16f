package org.carotspark.model;

import org.carotspark.config.UserFacingException;
import org.carotspark.image.ClipNormalization;
import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.RgbImage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Prepared image bytes → the CLIP input tensor [B,3,S,S], normalised as torchvision's ToTensor + Normalize
 * with CLIP's mean and std ({@link ClipNormalization}, the same code the transforms use).
 */
public final class ClipImageTensors {

    private ClipImageTensors() {
    }

    /** Images prep already made S×S (the evaluation splits: resize and centre crop), normalised as they are. */
    public static INDArray batch(List<byte[]> encodedImages, int size, DataType dtype) {
        int plane = size * size;
        float[] data = new float[encodedImages.size() * 3 * plane];
        for (int i = 0; i < encodedImages.size(); i++) {
            RgbImage img = decode(encodedImages.get(i));
            if (img.width() != size || img.height() != size) {
                throw new UserFacingException("prepared image is " + img.width() + "x" + img.height()
                        + " but the model expects " + size + "x" + size
                        + " (re-run prep with carot.prep.image-size = carot.model.image-size)");
            }
            ClipNormalization.toChw(img, data, i * 3 * plane);
        }
        return Nd4j.create(data, new long[] {encodedImages.size(), 3, size, size}, 'c').castTo(dtype);
    }

    /** Already transformed CHW images of side {@code size}, as one batch. */
    public static INDArray stack(List<float[]> chwImages, int size) {
        int image = 3 * size * size;
        float[] data = new float[chwImages.size() * image];
        for (int i = 0; i < chwImages.size(); i++) {
            float[] chw = chwImages.get(i);
            if (chw.length != image) {
                throw new IllegalArgumentException("image " + i + " has " + chw.length + " values, expected " + image);
            }
            System.arraycopy(chw, 0, data, i * image, image);
        }
        return Nd4j.create(data, new long[] {chwImages.size(), 3, size, size}, 'c');
    }

    /** Prepared bytes as an RGB image; prep wrote them, so failure means the Parquet data is damaged. */
    public static RgbImage decode(byte[] bytes) {
        try {
            return ImageDecoder.decode(bytes);
        } catch (ImageDecodeException e) {
            throw new UserFacingException("a prepared image cannot be decoded (" + e.getMessage()
                    + "); the Parquet data is damaged: re-run prep", e);
        }
    }
}
