package org.carotspark.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the repository's scripts and launchers as a user does: a child process with its own working
 * directory and environment, its output kept whole in files (no pipe to fill up).
 */
final class Commands {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path CONF = ROOT.resolve("conf");
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path JOB_TARGET = ROOT.resolve("spark-job/target");
    static final Path JOB_JAR = JOB_TARGET.resolve("carot-spark-job.jar");

    private Commands() {
    }

    record Result(int exitCode, String stdout, String stderr) {
        List<String> lines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    static void assumeJobJarBuilt() {
        assumeTrue(Files.exists(JOB_JAR) && Files.exists(JOB_TARGET.resolve("spark-classpath.txt")),
                "needs the job jar: run through 'mvn verify' (package precedes this module's tests)");
    }

    static Result run(Path cwd, Map<String, String> env, Duration timeout, List<String> command) throws IOException,
            InterruptedException {
        File out = File.createTempFile("carot-cmd", ".out");
        File err = File.createTempFile("carot-cmd", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out).redirectError(err);
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean finished = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            Result r = new Result(finished ? p.exitValue() : -1, Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
            assertTrue(finished, "did not finish in " + timeout + ": " + command + "\n" + r);
            return r;
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }

    static Result run(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
        return run(cwd, env, Duration.ofMinutes(5), List.of(command));
    }

    static Result run(Path cwd, String... command) throws IOException, InterruptedException {
        return run(cwd, Map.of(), command);
    }

    /** {@code bin/carot ARGS} started in {@code cwd}. */
    static Result carot(Path cwd, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ROOT.resolve("bin/carot").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return run(cwd, command);
    }
}
