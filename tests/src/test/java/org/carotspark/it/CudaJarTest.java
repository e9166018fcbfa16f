package org.carotspark.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.carotspark.it.Commands.JOB_TARGET;
import static org.carotspark.it.Commands.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The -Pcuda jar carries the CPU backend too: a driver on a node without a GPU or the CUDA 11.6
 * runtime (EMR's primary node, a client-mode driver) falls back to it instead of failing. Runs when
 * the cuda jar is built (.ci/run builds it before the test suite).
 */
class CudaJarTest {

    @Test
    void withoutAGpuTheCudaJarComputesOnTheCpuBackend() throws Exception {
        Path cudaJar = JOB_TARGET.resolve("carot-spark-job-cuda.jar");
        assumeTrue(Files.exists(cudaJar), "needs mvn -Pcuda -DskipTests package (.ci/run builds it)");
        boolean gpu = Commands.run(ROOT, "sh", "-c", "command -v nvidia-smi && nvidia-smi -L").exitCode() == 0;
        String logging = Arrays.stream(Files.readString(JOB_TARGET.resolve("spark-classpath.txt")).trim().split(":"))
                .filter(j -> j.contains("slf4j") || j.contains("log4j")).collect(Collectors.joining(":"));
        String classpath = cudaJar + ":" + Path.of("target/test-classes").toAbsolutePath() + ":" + logging;
        Commands.Result r = Commands.run(ROOT, Map.of(), Duration.ofMinutes(3), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", classpath,
                Nd4jBackendProbe.class.getName()));
        assertEquals(0, r.exitCode(), r.toString());
        String expected = (gpu ? "" : "CpuBackend ") + "[7.0, 10.0, 15.0, 22.0]";
        assertTrue(r.stdout().trim().endsWith(expected), "expected '" + expected + "': " + r);
        if (!gpu) {
            assertTrue(r.stderr().contains("JCublasBackend"), "the CUDA backend was tried first: " + r.stderr());
        }
    }
}
