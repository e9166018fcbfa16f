package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaSparkContext;
import org.carotspark.config.UserFacingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Stops a run at start-up, in one line, on a GPU the CUDA backend cannot run: nd4j-cuda-11.6 1.0.0-M2.1 (the only
 * released DL4J CUDA backend) carries kernels for compute capability up to 8.6 and no PTX, so on 9.0 and newer
 * (H100, H200, Blackwell) every kernel launch fails with a native "no kernel image is available" error; 8.9 (L4,
 * L40S) runs its 8.6 kernels. The GPUs are read from a probe command ({@code carot.gpu.probe-command}, by default
 * {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader}) on the driver and on every executor,
 * only when the job carries the CUDA backend (the {@code -Pcuda} jar): the CPU jar runs anywhere.
 */
final class GpuCompatibility {

    private static final Logger LOG = LoggerFactory.getLogger(GpuCompatibility.class);
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    /** The newest compute capability nd4j-cuda-11.6 1.0.0-M2.1 has kernels for (sm_86; 8.9 runs them). */
    static final int NEWEST_MAJOR = 8;
    static final String ENABLED = "carot.gpu.check-capability";
    static final String PROBE = "carot.gpu.probe-command";

    /** One GPU as the probe prints it: {@code name, major.minor}. */
    record Gpu(String host, String name, String computeCapability) {
        int major() {
            return Integer.parseInt(computeCapability.strip().split("\\.")[0]);
        }
    }

    private GpuCompatibility() {
    }

    /** Probes the driver and every executor and refuses an unsupported GPU, when the CUDA backend is in the job. */
    static void requireSupported(JavaSparkContext jsc, Config config, int workers) {
        if (!config.getBoolean(ENABLED) || !cudaBackendPresent()) {
            return;
        }
        List<String> command = List.copyOf(config.getStringList(PROBE));
        List<Gpu> gpus = new ArrayList<>(parse(host(), probe(command)));
        List<String> executors = jsc.parallelize(IntStream.range(0, workers).boxed().toList(), workers)
                .map(i -> host() + "\n" + probe(command)).collect();
        for (String answer : new LinkedHashSet<>(executors)) {
            int nl = answer.indexOf('\n');
            gpus.addAll(parse(answer.substring(0, nl), answer.substring(nl + 1)));
        }
        check(gpus);
        LOG.info("GPUs the CUDA backend runs on: {}", gpus.isEmpty() ? "none found (the CPU backend computes)"
                : new LinkedHashSet<>(gpus.stream().map(g -> g.name() + " (" + g.computeCapability() + ")").toList()));
    }

    static boolean cudaBackendPresent() {
        try {
            Class.forName(CUDA_BACKEND, false, GpuCompatibility.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @throws UserFacingException naming the first GPU of compute capability 9.0 or newer */
    static void check(List<Gpu> gpus) {
        for (Gpu g : gpus) {
            if (g.major() > NEWEST_MAJOR) {
                throw new UserFacingException(String.format(Locale.ROOT, "the GPU %s on %s has compute capability %s,"
                        + " which the CUDA backend (nd4j-cuda-11.6 1.0.0-M2.1: kernels up to 8.6, no PTX) cannot run:"
                        + " use A100, A10G, L4 or L40S instances (EMR p4d, g5, g6, g6e; Dataproc a2, g2 or T4), or the"
                        + " CPU jar (see docs/DEPLOY.md)", g.name(), g.host(), g.computeCapability().strip()));
            }
        }
    }

    /** The GPUs in a probe's output, one {@code name, major.minor} line each; other lines are passed over. */
    static List<Gpu> parse(String host, String probeOutput) {
        List<Gpu> out = new ArrayList<>();
        for (String line : probeOutput.split("\\R")) {
            int comma = line.lastIndexOf(',');
            if (comma > 0 && line.substring(comma + 1).strip().matches("\\d+\\.\\d+")) {
                out.add(new Gpu(host, line.substring(0, comma).strip(), line.substring(comma + 1).strip()));
            }
        }
        return out;
    }

    /**
     * The probe's standard output, or "" when it is not installed or fails (no GPU, no driver): then there is no
     * GPU to refuse and ND4J falls back to its CPU backend.
     */
    static String probe(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }
}
