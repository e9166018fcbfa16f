package org.carotspark.train.collective;

/** A segment of collective mode that Spark could not complete in its allowed attempts; the message names it. */
public final class CollectiveSegmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CollectiveSegmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
