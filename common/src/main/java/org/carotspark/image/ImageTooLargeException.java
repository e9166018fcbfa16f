package org.carotspark.image;

/** An image whose header claims more pixels than {@link DecodeLimits#maxPixels()}; nothing was decoded. */
public class ImageTooLargeException extends ImageDecodeException {
    public ImageTooLargeException(int width, int height, long maxPixels) {
        super(width + "x" + height + " = " + (long) width * height + " pixels exceeds the limit of " + maxPixels
                + " (carot.prep.max-image-pixels)");
    }
}
