package org.carotspark.layout;

import java.io.Serializable;
import java.util.List;

/** How one published layout maps a file's path (relative to the listed root) to a label or a reject. */
public interface SplitLayout extends Serializable {

    /** Directory under the configured split path whose files are listed ("" = the path itself). */
    default String imagesSubdir() {
        return "";
    }

    /**
     * Pixels to crop from each side of every image before resizing (ObjectNet's border; 0 elsewhere).
     */
    default int borderCropPixels() {
        return 0;
    }

    /**
     * Checks the whole listing against what the layout's metadata promises; throws a
     * {@code UserFacingException} naming the difference. Nothing to check by default.
     */
    default void verify(String split, List<LayoutEntry> entries) {
    }

    /** A human description of the expected layout, for messages, e.g. {@code <wnid>/<file>}. */
    String pattern();

    /**
     * @param relativePath path relative to the listed root, '/'-separated
     * @param sourcePath   full URI of the file
     */
    LayoutEntry classify(String relativePath, String sourcePath);

    /** A reject for an entry found while listing, with the same relative path a classified file would get. */
    default LayoutEntry reject(String relativePath, String sourcePath, String kind, String detail) {
        String rel = imagesSubdir().isEmpty() ? relativePath : imagesSubdir() + "/" + relativePath;
        return LayoutEntry.rejected(rel, sourcePath, kind, detail);
    }

    /** The reject for a file at the wrong depth: {@code unexpected-path: expected <pattern>}. */
    default LayoutEntry unexpectedPath(String relativePath, String sourcePath) {
        return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNEXPECTED_PATH, "expected " + pattern());
    }

    /** The reject for a wnid folder that the synset file does not list. */
    static LayoutEntry unknownWnid(String relativePath, String sourcePath, String wnid) {
        return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                "unknown wnid folder '" + wnid + "' (not in the synset file)");
    }

    /** Splits a relative path into segments, or returns null when the depth is not {@code depth}. */
    static String[] segments(String relativePath, int depth) {
        String[] parts = relativePath.split("/");
        return parts.length == depth ? parts : null;
    }
}
