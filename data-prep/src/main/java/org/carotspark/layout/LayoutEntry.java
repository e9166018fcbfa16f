package org.carotspark.layout;

import java.io.Serializable;
import java.util.Objects;

/**
 * One file found under a split root: either labelled (class index, wnid or ObjectNet folder, IN-C corruption
 * and severity) or rejected with a reason of the form {@code "<kind>: <detail>"}.
 */
public final class LayoutEntry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reason kind for a file whose label cannot be determined from its place in the layout. */
    public static final String UNLABELED = "unlabeled";
    /** Reason kind for a file outside the layout's expected directory depth. */
    public static final String UNEXPECTED_PATH = "unexpected-path";
    /**
     * Reason kind for an entry that is not a regular file: a symbolic link to a directory (never followed, so a
     * {@code loop -> ..} cannot multiply the listing), a dangling link, a named pipe (never opened: reading one
     * blocks forever), a socket or a device.
     */
    public static final String NOT_A_FILE = "not-a-file";
    /** Reason kind for a file or directory that cannot be read (permissions, removed after listing, I/O error). */
    public static final String UNREADABLE = "unreadable";
    /** Reason kind for a file over the byte limit or an image over the pixel limit. */
    public static final String TOO_LARGE = "too-large";

    private final String relativePath;
    private final String sourcePath;
    private final Integer label;
    private final String wnid;
    private final String corruption;
    private final Integer severity;
    private final String rejectReason;

    private LayoutEntry(String relativePath, String sourcePath, Integer label, String wnid, String corruption,
                        Integer severity, String rejectReason) {
        this.relativePath = Objects.requireNonNull(relativePath);
        this.sourcePath = Objects.requireNonNull(sourcePath);
        this.label = label;
        this.wnid = wnid;
        this.corruption = corruption;
        this.severity = severity;
        this.rejectReason = rejectReason;
    }

    public static LayoutEntry labelled(String relativePath, String sourcePath, int label, String wnid) {
        return new LayoutEntry(relativePath, sourcePath, label, wnid, null, null, null);
    }

    public static LayoutEntry corrupted(String relativePath, String sourcePath, int label, String wnid,
                                        String corruption, int severity) {
        return new LayoutEntry(relativePath, sourcePath, label, wnid, corruption, severity, null);
    }

    public static LayoutEntry rejected(String relativePath, String sourcePath, String kind, String detail) {
        return new LayoutEntry(relativePath, sourcePath, null, null, null, null, kind + ": " + detail);
    }

    /** Path relative to the split root, with '/' separators: the id is {@code <split>/<relativePath>}. */
    public String relativePath() {
        return relativePath;
    }

    /** Full URI of the original file. */
    public String sourcePath() {
        return sourcePath;
    }

    /** Class index, or null when rejected. */
    public Integer label() {
        return label;
    }

    public String wnid() {
        return wnid;
    }

    public String corruption() {
        return corruption;
    }

    public Integer severity() {
        return severity;
    }

    /** Null when labelled. */
    public String rejectReason() {
        return rejectReason;
    }

    public boolean isRejected() {
        return rejectReason != null;
    }

    @Override
    public String toString() {
        return relativePath + (isRejected() ? " [rejected: " + rejectReason + "]" : " [label " + label + "]");
    }
}
