package org.carotspark.sparkutil;

import org.carotspark.config.UserFacingException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/** The local-disk side of the file helpers: settings that must name a local path, and whole-tree deletion. */
public final class LocalFiles {

    private LocalFiles() {
    }

    /**
     * {@code value} of setting {@code key} as an absolute local path: a plain path or a {@code file:} URI. Any other
     * URI scheme is refused with one line ending in {@code hint} (what to do instead).
     */
    public static Path localPath(String key, String value, String hint) {
        if (value.isBlank()) {
            throw new UserFacingException(key + " is empty");
        }
        if (value.startsWith("file:")) {
            return Paths.get(URI.create(value)).toAbsolutePath();
        }
        if (value.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new UserFacingException(key + " must be a local path or file: URI, got " + value + hint);
        }
        return Paths.get(value).toAbsolutePath();
    }

    /** Deletes {@code p} and, if it is a directory, everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
