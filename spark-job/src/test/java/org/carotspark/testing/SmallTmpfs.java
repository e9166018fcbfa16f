package org.carotspark.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real small file system to fill up: a tmpfs of a few megabytes mounted on a temporary directory (needs root,
 * as CI's container and this machine have; {@link #mount} returns null where mounting is not allowed).
 */
public final class SmallTmpfs implements AutoCloseable {

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /** A fresh tmpfs of {@code megabytes} MB, or null when this process may not mount one. */
    public static SmallTmpfs mount(int megabytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("carot-tmpfs-");
        if (run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString()) != 0) {
            Files.delete(dir);
            return null;
        }
        return new SmallTmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Fills the file system until at most {@code leaveBytes} are free (a filler file the writes cannot reuse). */
    public void fillLeaving(long leaveBytes) throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("filler").toFile(), "rw")) {
            byte[] block = new byte[4096];
            long target = Math.max(0, free - leaveBytes);
            for (long written = 0; written < target; written += block.length) {
                f.write(block, 0, (int) Math.min(block.length, target - written));
            }
        }
    }

    /** Gives the space back. */
    public void empty() throws IOException {
        Files.deleteIfExists(dir.resolve("filler"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", dir.toString());
        Files.deleteIfExists(dir);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
