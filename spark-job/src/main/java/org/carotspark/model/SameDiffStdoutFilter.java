package org.carotspark.model;

import java.io.PrintStream;

/**
 * SameDiff 1.0.0-M2.1 prints "Added differentiated op …" to stdout for every op whenever a
 * gradient function is built — once per graph per JVM, tens of thousands of lines in a run.
 * This drops exactly those lines and passes everything else through; installed once per JVM by
 * the classes that define CLIP's SameDiff pieces (driver and executors alike).
 */
public final class SameDiffStdoutFilter extends PrintStream {

    static final String NOISE_PREFIX = "Added differentiated op";

    private SameDiffStdoutFilter(PrintStream target) {
        super(target, true);
    }

    public static synchronized void install() {
        if (!(System.out instanceof SameDiffStdoutFilter)) {
            System.setOut(new SameDiffStdoutFilter(System.out));
        }
    }

    @Override
    public void println(String line) {
        if (line != null && line.startsWith(NOISE_PREFIX)) {
            return;
        }
        super.println(line);
    }
}
