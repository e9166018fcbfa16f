package org.carotspark.prep;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;
import org.carotspark.layout.LayoutEntry;
import org.carotspark.layout.LocalTreeLister;
import org.carotspark.sparkutil.SerializableHadoopConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads one listed source file on an executor, or says why it cannot be read. Nothing here fails the task: a file
 * that vanished, is not readable, is not a regular file any more (never opened, so a pipe cannot block) or is over
 * the byte limit becomes a reject. Other I/O errors (a flaky network read) are retried a few times, on top of
 * S3A's own retries, before the file is rejected as unreadable; one bad file never aborts prep.
 *
 * <p>Local files are read with java.nio: Hadoop's checksummed local file system fails on names containing
 * {@code :} (its {@code .crc} companion path is not a valid URI).
 */
final class SourceReader implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SourceReader.class);
    private static final long FIRST_RETRY_DELAY_MS = 200;

    private final SerializableHadoopConf conf;
    private final long maxBytes;
    private final int attempts;

    SourceReader(SerializableHadoopConf conf, long maxBytes, int attempts) {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8 || attempts < 1) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + ", attempts " + attempts);
        }
        this.conf = conf;
        this.maxBytes = maxBytes;
        this.attempts = attempts;
    }

    byte[] read(String sourcePath) throws SourceRejectedException {
        Path path = new Path(sourcePath);
        boolean local = "file".equals(path.toUri().getScheme());
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                return local ? readLocal(path) : readHadoop(path);
            } catch (NoSuchFileException | FileNotFoundException e) {
                throw new SourceRejectedException(LayoutEntry.UNREADABLE, "no such file (removed after listing?)");
            } catch (AccessDeniedException | AccessControlException e) {
                throw new SourceRejectedException(LayoutEntry.UNREADABLE, "permission denied");
            } catch (IOException e) {
                last = e;
                LOG.warn("read attempt {}/{} of {} failed: {}", attempt, attempts, sourcePath, e.toString());
                if (attempt < attempts) {
                    sleep(FIRST_RETRY_DELAY_MS << (attempt - 1));
                }
            }
        }
        throw new SourceRejectedException(LayoutEntry.UNREADABLE, LocalTreeLister.describe(last) + " (after "
                + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")");
    }

    private byte[] readLocal(Path path) throws IOException, SourceRejectedException {
        java.nio.file.Path p = Paths.get(path.toUri().getPath());
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            // Changed since listing (or a link now pointing elsewhere): never open it, a pipe would block.
            throw new SourceRejectedException(LayoutEntry.NOT_A_FILE, (attrs.isDirectory() ? "directory"
                    : LocalTreeLister.specialKind(p)) + ", never opened");
        }
        checkSize(attrs.size());
        try (InputStream in = Files.newInputStream(p)) {
            return readBounded(in);
        }
    }

    private byte[] readHadoop(Path path) throws IOException, SourceRejectedException {
        FileSystem fs = path.getFileSystem(conf.get());
        FileStatus st = fs.getFileStatus(path);
        if (!st.isFile()) {
            throw new SourceRejectedException(LayoutEntry.NOT_A_FILE, "not a plain file, never opened");
        }
        checkSize(st.getLen());
        try (InputStream in = fs.open(path)) {
            return readBounded(in);
        }
    }

    private void checkSize(long size) throws SourceRejectedException {
        if (size > maxBytes) {
            throw new SourceRejectedException(LayoutEntry.TOO_LARGE, size + " bytes exceeds the limit of " + maxBytes
                    + " (carot.prep.max-file-bytes)");
        }
    }

    /** Reads at most maxBytes + 1 bytes, so a file that grew after its size was checked cannot exhaust memory. */
    private byte[] readBounded(InputStream in) throws IOException, SourceRejectedException {
        byte[] bytes = in.readNBytes((int) maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new SourceRejectedException(LayoutEntry.TOO_LARGE, "more than " + maxBytes
                    + " bytes (carot.prep.max-file-bytes)");
        }
        return bytes;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
