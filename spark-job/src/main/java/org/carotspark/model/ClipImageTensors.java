package org.carotspark.model;

import org.carotspark.config.UserFacingException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Prepared JPEG bytes (already S×S from data-prep) → the CLIP input tensor [B,3,S,S], scaled to
 * [0,1] and normalised with CLIP's per-channel mean and std.
 */
public final class ClipImageTensors {

    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private ClipImageTensors() {
    }

    public static INDArray batch(List<byte[]> encodedImages, int size, DataType dtype) {
        int b = encodedImages.size();
        int plane = size * size;
        float[] data = new float[b * 3 * plane];
        for (int i = 0; i < b; i++) {
            writeChw(decode(encodedImages.get(i)), size, data, i * 3 * plane);
        }
        return Nd4j.create(data, new long[] {b, 3, size, size}, 'c').castTo(dtype);
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
            if (img == null) {
                throw new UserFacingException("prepared image bytes are not a readable image");
            }
            return img;
        } catch (IOException e) {
            throw new UserFacingException("prepared image bytes cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static void writeChw(BufferedImage img, int size, float[] out, int offset) {
        if (img.getWidth() != size || img.getHeight() != size) {
            throw new UserFacingException("prepared image is " + img.getWidth() + "x" + img.getHeight()
                    + " but the model expects " + size + "x" + size
                    + " (re-run prep with carot.prep.image-size = carot.model.image-size)");
        }
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = img.getRGB(x, y);
                int p = y * size + x;
                out[offset + p] = (((rgb >> 16) & 0xff) / 255f - MEAN[0]) / STD[0];
                out[offset + plane + p] = (((rgb >> 8) & 0xff) / 255f - MEAN[1]) / STD[1];
                out[offset + 2 * plane + p] = ((rgb & 0xff) / 255f - MEAN[2]) / STD[2];
            }
        }
    }
}
