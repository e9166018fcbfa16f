package org.carotspark.bench;

import org.carotspark.model.ClipModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench reads the PyTorch script's last line: a step time and peak memory, or a skip line with no ratio. */
class PytorchStepTest {

    private static final ClipModelConfig MODEL = new ClipModelConfig(32, 8, 64, 2, 4, 16, 64, 64, 2, 4, 64,
            ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 1);

    /** A stand-in interpreter that ignores its arguments and prints {@code lines}. */
    private static String interpreter(Path dir, String... lines) throws Exception {
        Path exe = dir.resolve("python");
        StringBuilder sh = new StringBuilder("#!/bin/sh\n");
        for (String line : lines) {
            sh.append("echo '").append(line).append("'\n");
        }
        Files.writeString(exe, sh);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe.toString();
    }

    private static String script(Path dir) throws Exception {
        return Files.writeString(dir.resolve("step.py"), "").toString();
    }

    @Test
    void aMeasuredStepGivesItsTimeAndPeakMemory(@TempDir Path dir) throws Exception {
        PytorchStep.Result r = PytorchStep.measure(interpreter(dir, "warming up",
                        "pytorch step_seconds=0.18400 peak_mb=219 batch=8 threads=1 params=9674753 torch=1.13.0a0"
                                + " blas=generic:openblas-pthread/libblas.so.3"), script(dir), MODEL, 8, 1, 4);
        assertEquals(0.184, r.stepSeconds().getAsDouble(), 1e-12);
        assertEquals(219, r.peakMb().getAsLong());
        assertTrue(r.line().contains("blas=generic:openblas-pthread"), r.line());
    }

    @Test
    void aTorchOnTheReferenceBlasIsASkipLineWithoutATime(@TempDir Path dir) throws Exception {
        PytorchStep.Result r = PytorchStep.measure(interpreter(dir, "pytorch skipped: torch runs on the reference"
                + " BLAS (generic:blas/libblas.so.3), no baseline; install OpenBLAS"), script(dir), MODEL, 8, 1, 4);
        assertFalse(r.stepSeconds().isPresent());
        assertFalse(r.peakMb().isPresent());
        assertTrue(r.line().startsWith("pytorch skipped: torch runs on the reference BLAS"), r.line());
    }
}
