package org.carotspark.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This process's resident memory from Linux's {@code /proc/self/status}, in kB: the current size (VmRSS) and the peak
 * (VmHWM), which {@link #resetPeak} restarts at the current size ({@code clear_refs} 5). ND4J's own counters do not
 * help here: its arrays live off-heap outside JavaCPP's accounting, and the JVM's heap and JIT count too. The bench's
 * PyTorch script measures its side the same way.
 */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {
    }

    /** Current resident size in kB, or -1 where /proc is not there. */
    static long currentKb() {
        return field("VmRSS");
    }

    /**
     * The current resident size once earlier work's garbage is gone: a collection frees the heap, but ND4J frees
     * the off-heap buffers of collected arrays from its own thread a little later. Read at once, the size still held
     * them, and a step measured from there could come out below zero (the full bench showed -226 to -1029 MB).
     */
    static long settledKb() {
        try {
            for (int i = 0; i < 2; i++) {
                System.gc();
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return currentKb();
    }

    /** Peak resident size since start or the last {@link #resetPeak}, in kB, or -1 where /proc is not there. */
    static long peakKb() {
        return field("VmHWM");
    }

    /** Restarts the peak at the current size; false where the kernel does not allow it (then sample instead). */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            Matcher m = Pattern.compile(name + ":\\s+(\\d+)").matcher(Files.readString(STATUS, StandardCharsets.UTF_8));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
