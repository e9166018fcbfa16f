package org.carotspark.train.collective;

/** A collective operation that could not complete on every rank: the segment it belongs to must be run again. */
public final class CollectiveException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CollectiveException(String message) {
        super(message);
    }

    public CollectiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
