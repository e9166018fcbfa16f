package org.carotspark.image;

import java.io.Serializable;

/**
 * Memory bounds of decoding one image. {@code maxPixels} is checked against the width × height in the file's
 * header before any pixel is decoded (like PIL's {@code Image.MAX_IMAGE_PIXELS}): a few kilobytes of JPEG can
 * claim 16 000 × 16 000 pixels, and decoding that would need gigabytes. Legal images above
 * {@code decodeMaxPixels} are decoded with integer source subsampling so that at most that many pixels are ever
 * held; the antialiased resize to S×S that follows needs far fewer.
 *
 * @param maxPixels       images with more pixels than this are rejected as too large
 * @param decodeMaxPixels images with more pixels than this are decoded subsampled to at most this many
 */
public record DecodeLimits(long maxPixels, long decodeMaxPixels) implements Serializable {

    /** PIL's {@code Image.MAX_IMAGE_PIXELS} (1024 · 1024 · 1024 / 4 / 3). */
    public static final long PIL_MAX_IMAGE_PIXELS = 89_478_485L;
    /** 4096 × 4096: a 12-megapixel photo still decodes at full resolution. */
    public static final long DEFAULT_DECODE_MAX_PIXELS = 4096L * 4096L;
    public static final DecodeLimits DEFAULT = new DecodeLimits(PIL_MAX_IMAGE_PIXELS, DEFAULT_DECODE_MAX_PIXELS);

    public DecodeLimits {
        if (maxPixels < 1 || decodeMaxPixels < 1) {
            throw new IllegalArgumentException("pixel limits must be positive: " + maxPixels + ", " + decodeMaxPixels);
        }
    }

    /**
     * The smallest integer step f such that a width × height image read at every f-th pixel in both directions
     * ({@code ceil(w/f) · ceil(h/f)} pixels, what ImageIO's source subsampling yields) fits decodeMaxPixels.
     */
    public int subsampling(int width, int height) {
        int f = (int) Math.max(1, Math.floor(Math.sqrt((double) width * height / decodeMaxPixels)));
        while (ceilDiv(width, f) * ceilDiv(height, f) > decodeMaxPixels) {
            f++;
        }
        return f;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
