package org.carotspark.prep;

/** A listed source file that cannot be turned into a row; {@link #reason()} is its rejects-table reason. */
final class SourceRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String kind;

    SourceRejectedException(String kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    /** {@code <kind>: <detail>}, as every reason in the rejects table. */
    String reason() {
        return kind + ": " + getMessage();
    }
}
