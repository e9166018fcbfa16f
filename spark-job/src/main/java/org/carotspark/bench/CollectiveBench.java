package org.carotspark.bench;

import org.carotspark.train.collective.Collective;
import org.carotspark.train.collective.RabitCollective;
import org.carotspark.train.collective.RabitTracker;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The throughput of collective mode's all-reduce between two JVMs on loopback: this one (rank 0) and a peer JVM it
 * starts on the same classpath (rank 1, {@link #main}). Each buffer is reduced once to warm up, then timed; a sum
 * that is not exactly 2 everywhere (both ranks reduce ones) fails the bench rather than reporting a speed.
 */
public final class CollectiveBench {

    private static final int TIMEOUT_SECONDS = 300;

    private CollectiveBench() {
    }

    static String table(List<Integer> megabytes, int repeats) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "Collective all-reduce (XGBoost4J's"
                + " communicator, native entry point), 2 JVMs on loopback, %d timed repeats after one warm-up%n%n"
                + "| buffer | s per all-reduce | GB/s (buffer / time) |%n|---:|---:|---:|%n", repeats));
        for (int mb : megabytes) {
            int floats = mb * 1024 * 1024 / 4;
            double seconds = measure(floats, repeats);
            out.append(String.format(Locale.ROOT, "| %d MB | %.3f | %.2f |%n", mb, seconds, mb / 1024.0 / seconds));
        }
        return out.toString();
    }

    private static double measure(int floats, int repeats) throws IOException, InterruptedException {
        try (RabitTracker tracker = RabitTracker.start(2, "127.0.0.1", TIMEOUT_SECONDS)) {
            Map<String, Object> args = tracker.workerArgs();
            Process peer = startPeer(args, floats, repeats + 1);
            double seconds;
            try (RabitCollective rank0 = RabitCollective.join(args, 0, 2, TIMEOUT_SECONDS)) {
                INDArray buffer = Nd4j.ones(DataType.FLOAT, floats);
                rank0.allReduceSum(buffer);
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    buffer.assign(1);
                    rank0.allReduceSum(buffer);
                }
                seconds = (System.nanoTime() - t0) / 1e9 / repeats;
                if (buffer.minNumber().floatValue() != 2f || buffer.maxNumber().floatValue() != 2f) {
                    throw new IllegalStateException("the all-reduce of ones over 2 ranks is not 2 everywhere");
                }
            } finally {
                if (!peer.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    peer.destroyForcibly();
                }
            }
            if (peer.exitValue() != 0) {
                throw new IllegalStateException("the all-reduce peer JVM exited with " + peer.exitValue());
            }
            tracker.awaitGroupEnd(TIMEOUT_SECONDS);
            return seconds;
        }
    }

    private static Process startPeer(Map<String, Object> args, int floats, int reductions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.bytedeco.javacpp.maxbytes=4g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=6g"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CollectiveBench.class.getName(),
                String.valueOf(args.get("dmlc_tracker_uri")), String.valueOf(args.get("dmlc_tracker_port")),
                String.valueOf(floats), String.valueOf(reductions)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
    }

    /** The peer: {@code <tracker uri> <tracker port> <floats> <reductions>}. */
    public static void main(String[] a) {
        Map<String, Object> args = Map.of("dmlc_tracker_uri", a[0], "dmlc_tracker_port", Integer.parseInt(a[1]));
        try (RabitCollective rank1 = RabitCollective.join(args, 1, 2, TIMEOUT_SECONDS)) {
            INDArray buffer = Nd4j.ones(DataType.FLOAT, Integer.parseInt(a[2]));
            for (int i = 0, n = Integer.parseInt(a[3]); i < n; i++) {
                buffer.assign(1);
                rank1.allReduceSum(buffer);
            }
        }
    }
}
