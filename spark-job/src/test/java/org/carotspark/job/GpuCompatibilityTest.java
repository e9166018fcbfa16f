package org.carotspark.job;

import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up GPU check, fed by a stub of nvidia-smi's output. */
class GpuCompatibilityTest {

    /** A stand-in for {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader}. */
    private static List<String> stubProbe(Path dir, String output) throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = --query-gpu=name,compute_cap ] || exit 9\nprintf '" + output + "'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return List.of(smi.toString(), "--query-gpu=name,compute_cap", "--format=csv,noheader");
    }

    @Test
    void aHopperGpuStopsTheRunInOneLineNamingItAndWhatToUseInstead(@TempDir Path dir) throws Exception {
        String out = GpuCompatibility.probe(stubProbe(dir, "NVIDIA H100 80GB HBM3, 9.0\\n"));
        List<GpuCompatibility.Gpu> gpus = GpuCompatibility.parse("node-1", out);
        assertEquals(List.of(new GpuCompatibility.Gpu("node-1", "NVIDIA H100 80GB HBM3", "9.0")), gpus);
        UserFacingException e = assertThrows(UserFacingException.class, () -> GpuCompatibility.check(gpus));
        assertTrue(e.getMessage().contains("NVIDIA H100 80GB HBM3") && e.getMessage().contains("node-1")
                && e.getMessage().contains("9.0") && e.getMessage().contains("A100, A10G, L4 or L40S"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void gpusUpToAdaRunAndNoProbeMeansNoGpu(@TempDir Path dir) throws Exception {
        for (String line : List.of("NVIDIA A100-SXM4-40GB, 8.0", "NVIDIA A10G, 8.6", "NVIDIA L4, 8.9",
                "NVIDIA L40S, 8.9", "Tesla T4, 7.5")) {
            List<GpuCompatibility.Gpu> gpus = GpuCompatibility.parse("h", GpuCompatibility.probe(stubProbe(dir,
                    line + "\\n" + line + "\\n")));
            assertEquals(2, gpus.size(), line);
            assertDoesNotThrow(() -> GpuCompatibility.check(gpus), line);
        }
        assertEquals("", GpuCompatibility.probe(List.of(dir.resolve("not-installed").toString())));
        assertEquals(List.of(), GpuCompatibility.parse("h", "NVIDIA-SMI has failed because it couldn't communicate"));
        assertThrows(UserFacingException.class, () -> GpuCompatibility.check(GpuCompatibility.parse("h",
                "NVIDIA A10G, 8.6\nNVIDIA B200, 10.0\n")), "one unsupported GPU among several");
    }
}
