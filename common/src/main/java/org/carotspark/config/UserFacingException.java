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
}
