package org.carotspark.weights;

import org.carotspark.config.UserFacingException;

import java.nio.file.Path;

/** A safetensors file that cannot be used as it is: the message names the file and, where one is at fault, the tensor. */
public class SafetensorsException extends UserFacingException {

    public SafetensorsException(Path file, String tensor, String problem) {
        super("safetensors file " + file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem);
    }

    public SafetensorsException(Path file, String tensor, String problem, Throwable cause) {
        super("safetensors file " + file + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem, cause);
    }
}
