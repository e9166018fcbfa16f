package org.carotspark.image;

/**
 * CLIP's input normalisation, as torchvision's ToTensor + Normalize(mean, std) apply it to an 8-bit
 * PIL image: each channel value is rounded to 0..255 (PIL images are bytes), divided by 255, then
 * standardised with OpenAI CLIP's per-channel mean and std. Output layout is CHW.
 */
public final class ClipNormalization {

    /** OpenAI CLIP's RGB mean and std (also open_clip's defaults for CLIP models). */
    public static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

    private ClipNormalization() {
    }

    /** {@code img} as 3 × height × width normalised floats. */
    public static float[] toChw(RgbImage img) {
        float[] out = new float[3 * img.width() * img.height()];
        toChw(img, out, 0);
        return out;
    }

    /** Writes {@code img} as 3 × height × width normalised floats into {@code out[offset ..]}. */
    public static void toChw(RgbImage img, float[] out, int offset) {
        int plane = img.width() * img.height();
        for (int c = 0; c < 3; c++) {
            float[] src = img.planes()[c];
            double mean = MEAN[c];
            double std = STD[c];
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = (float) ((RgbImage.toByte(src[i]) / 255.0 - mean) / std);
            }
        }
    }
}
