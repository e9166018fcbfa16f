package org.carotspark.layout;

import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Lists a split root on the local file system with java.nio instead of Hadoop's checksummed local file system:
 * Hadoop follows directory links (a {@code loop -> ..} multiplied 20 files into 820 entries), drops dangling
 * links silently, reports a named pipe as a file (opening it blocks forever) and fails on names containing
 * {@code :}. Here links are never followed into directories, and every entry that is not a regular file (or a
 * link to one) becomes a {@code not-a-file} reject, so each entry under the root is listed exactly once.
 */
public final class LocalTreeLister {

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private LocalTreeLister() {
    }

    /** @param root a qualified {@code file:} path to an existing directory (a link to one is fine) */
    static List<LayoutEntry> list(Path root, SplitLayout layout) throws IOException {
        String rootPath = root.toUri().getPath();
        // The root itself may be a link (a dataset symlinked into place); only links below it are not followed.
        java.nio.file.Path start = Paths.get(rootPath).toRealPath();
        String sourcePrefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        List<LayoutEntry> out = new ArrayList<>();
        Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) {
                String rel = relative(start, file);
                String source = source(root, sourcePrefix + rel);
                out.add(nameSurvivesAsText(file) ? entry(file, attrs, rel, source, layout)
                        : layout.reject(rel, source, LayoutEntry.UNREADABLE, undecodableName()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException exc) {
                String rel = relative(start, file);
                out.add(layout.reject(rel, source(root, sourcePrefix + rel), LayoutEntry.UNREADABLE,
                        "cannot list or stat: " + describe(exc)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(java.nio.file.Path dir, IOException exc) {
                if (exc != null) {
                    String rel = relative(start, dir);
                    out.add(layout.reject(rel, source(root, sourcePrefix + rel), LayoutEntry.UNREADABLE,
                            "directory listing failed part-way: " + describe(exc)));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static LayoutEntry entry(java.nio.file.Path file, BasicFileAttributes attrs, String rel, String source,
                                     SplitLayout layout) {
        if (attrs.isRegularFile()) {
            return layout.classify(rel, source);
        }
        if (attrs.isSymbolicLink()) {
            String target = linkTarget(file);
            BasicFileAttributes t;
            try {
                t = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return layout.reject(rel, source, LayoutEntry.NOT_A_FILE, "dangling symbolic link -> " + target);
            } catch (IOException e) {
                return layout.reject(rel, source, LayoutEntry.NOT_A_FILE, "unresolvable symbolic link -> " + target
                        + " (" + describe(e) + ")");
            }
            if (t.isRegularFile()) {
                return layout.classify(rel, source);
            }
            if (t.isDirectory()) {
                return layout.reject(rel, source, LayoutEntry.NOT_A_FILE,
                        "symbolic link to a directory, not followed -> " + target);
            }
            return layout.reject(rel, source, LayoutEntry.NOT_A_FILE, "symbolic link to a " + specialKind(file)
                    + ", never opened -> " + target);
        }
        return layout.reject(rel, source, LayoutEntry.NOT_A_FILE, specialKind(file) + ", never opened");
    }

    /**
     * Whether the path's bytes on disk come back from its text form: a name that is not valid in the JVM's file-name
     * encoding (not UTF-8) is listed with replacement characters, and opening that text later finds no such file.
     */
    static boolean nameSurvivesAsText(java.nio.file.Path file) {
        try {
            return Paths.get(file.toString()).equals(file);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static String undecodableName() {
        String encoding = System.getProperty("sun.jnu.encoding", "?");
        boolean utf8;
        try {
            utf8 = java.nio.charset.Charset.forName(encoding).equals(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            utf8 = false;
        }
        return utf8
                ? "file name is not valid UTF-8, so it cannot be opened by name: rename it"
                : "file name is not valid in the JVM's file-name encoding " + encoding + " (not UTF-8?): rename it,"
                        + " or run with a UTF-8 locale (LANG=C.UTF-8)";
    }

    /** "named pipe", "socket", ... from the Unix mode bits (following links), or "special file". */
    public static String specialKind(java.nio.file.Path file, LinkOption... options) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", options);
            switch (mode & S_IFMT) {
                case S_IFIFO:
                    return "named pipe";
                case S_IFSOCK:
                    return "socket";
                case S_IFCHR:
                    return "character device";
                case S_IFBLK:
                    return "block device";
                default:
                    return "special file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "special file";
        }
    }

    private static String linkTarget(java.nio.file.Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file (removed after listing?)";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String relative(java.nio.file.Path start, java.nio.file.Path p) {
        StringBuilder sb = new StringBuilder();
        for (java.nio.file.Path part : start.relativize(p)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The Hadoop form of a local path ({@code file:/a/b}); built from parts, so a {@code :} in a name is safe. */
    private static String source(Path root, String absolutePath) {
        return new Path(root.toUri().getScheme(), root.toUri().getAuthority(), absolutePath).toString();
    }
}
