package org.carotspark.config;

/**
 * An error caused by the user's input (config, paths, data) rather than by a bug: mains print its
 * message as one line and exit non-zero, without a stack trace.
 */
public class UserFacingException extends RuntimeException {
    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{@code what}: {@code cause}'s message", on one line however many lines the cause's message has. */
    public static UserFacingException because(String what, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new UserFacingException(what + ": " + detail.replaceAll("\\s+", " ").trim(), cause);
    }
}
