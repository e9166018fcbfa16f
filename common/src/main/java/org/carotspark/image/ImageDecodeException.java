package org.carotspark.image;

/** A file that is not a readable image (unknown format, truncated, corrupt); its message is the reject reason. */
public class ImageDecodeException extends Exception {
    public ImageDecodeException(String message) {
        super(message);
    }

    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
