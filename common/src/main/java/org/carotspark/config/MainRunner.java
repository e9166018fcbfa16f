package org.carotspark.config;

import com.typesafe.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared shell of every main: whatever ends a run, the user gets one line on stderr and an exit code.
 * Exit codes: 0 ok; 2 bad input or config ({@link UserFacingException}, Typesafe {@link ConfigException}), also when
 * thrown inside a Spark task and wrapped by Spark; 1 anything else, {@link Error}s included (an
 * {@link OutOfMemoryError} says so). The stack trace never goes to the console: it is logged at debug level, and
 * for exit 1 written to a file named in the line.
 */
public final class MainRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MainRunner.class);
    private static final String SPARK_EXCEPTION = "org.apache.spark.SparkException";
    /**
     * A user-facing error as Spark quotes a failed task's exception in its message ("Lost task ...:
     * org.carotspark.config.UserFacingException: bad value"), for when the exception object itself did not travel.
     */
    private static final Pattern QUOTED_USER_ERROR = Pattern.compile("(?m)(?:"
            + Pattern.quote(UserFacingException.class.getName()) + "|com\\.typesafe\\.config\\.ConfigException[\\w$.]*)"
            + ": (.*)$");
    private static final int MAX_CAUSES = 64;
    /** Spark sets it as a system property of a cluster-mode driver (the application master loads its conf so). */
    private static final String DEPLOY_MODE = "spark.submit.deployMode";
    private static final String CLUSTER_DEPLOY_MODE = "cluster";
    /**
     * A Parquet file that cannot be read, as Spark and parquet-mr name it in their messages: the footer (schema
     * inference), a data page (a task's read), or the magic bytes. Group 1 is the file.
     */
    private static final Pattern UNREADABLE_PARQUET = Pattern.compile("(?:Encountered error while reading file"
            + "|Could not read footer for file:?(?: FileStatus\\{path=)?|Can not read value at \\d+ in block -?\\d+ in file)"
            + " ([^\\s;,}]+?)\\.?(?=[\\s;,}]|$)|([^\\s]+\\.parquet) is not a Parquet file");

    public interface Body {
        void run() throws Exception;
    }

    /** What the user is told. */
    record Outcome(int exitCode, String message) {
    }

    private MainRunner() {
    }

    public static void run(String jobName, Body body) {
        int code = runForExitCode(jobName, body);
        // A local-mode driver keeps threads Spark started and never ends (BarrierTaskContext's timer, after
        // collective mode's barrier stages, is a non-daemon thread for the life of the JVM), so a finished run
        // exits explicitly. Not in YARN's cluster mode: its application master counts any System.exit from the
        // user's main as an early, failed exit, and its executors' threads live in other JVMs anyway.
        if (code != 0 || !CLUSTER_DEPLOY_MODE.equals(System.getProperty(DEPLOY_MODE))) {
            System.exit(code);
        }
    }

    /** Like {@link #run} without calling System.exit, for tests. */
    public static int runForExitCode(String jobName, Body body) {
        return runForExitCode(jobName, body, System.err);
    }

    /** Like {@link #run} without calling System.exit; the one line goes to {@code err}. */
    public static int runForExitCode(String jobName, Body body, PrintStream err) {
        try {
            body.run();
            return 0;
        } catch (Throwable t) {
            Outcome outcome = outcome(t);
            LOG.debug("{} failed", jobName, t);
            String line = jobName + " failed: " + outcome.message();
            if (outcome.exitCode() != 2) {
                Path trace = writeTrace(jobName, t);
                line += trace == null ? "" : " (stack trace in " + trace + ")";
            }
            err.println(line);
            err.flush();
            return outcome.exitCode();
        }
    }

    static Outcome outcome(Throwable t) {
        Throwable sparkFailure = null;
        OutOfMemoryError oom = null;
        Throwable root = t;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.size() < MAX_CAUSES && seen.put(c, true) == null; c = c.getCause()) {
            if (c instanceof UserFacingException) {
                return new Outcome(2, oneLine(c.getMessage()));
            }
            if (c instanceof ConfigException) {
                return new Outcome(2, "config error: " + oneLine(c.getMessage()));
            }
            if (c instanceof OutOfMemoryError o && oom == null) {
                oom = o;
            }
            if (sparkFailure == null && c.getClass().getName().equals(SPARK_EXCEPTION)) {
                sparkFailure = c;
            }
            root = c;
        }
        String corruptParquet = unreadableParquetFile(t);
        if (corruptParquet != null) {
            return new Outcome(2, "the Parquet file " + corruptParquet + " is corrupt or unreadable ("
                    + oneLine(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": "
                    + root.getMessage())) + "): re-run prep to write it again");
        }
        if (sparkFailure != null && sparkFailure.getMessage() != null) {
            Matcher m = QUOTED_USER_ERROR.matcher(sparkFailure.getMessage());
            if (m.find()) {
                return new Outcome(2, oneLine(m.group(1)));
            }
        }
        if (oom != null) {
            return new Outcome(1, "out of memory (" + oneLine(String.valueOf(oom.getMessage())) + "): give the "
                    + "driver or executors more memory (spark.driver.memory, spark.executor.memory, -Xmx) or "
                    + "lower the batch or decode sizes");
        }
        String cause = root.getClass().getName() + (root.getMessage() == null ? "" : ": " + oneLine(root.getMessage()));
        return new Outcome(1, (sparkFailure != null ? "Spark job failed: " : "unexpected error: ") + cause);
    }

    /** The Parquet file a failure names as unreadable, or null when it is not about one. */
    static String unreadableParquetFile(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.size() < MAX_CAUSES && seen.put(c, true) == null; c = c.getCause()) {
            if (c.getMessage() != null) {
                Matcher m = UNREADABLE_PARQUET.matcher(c.getMessage());
                if (m.find()) {
                    return m.group(1) != null ? m.group(1) : m.group(2);
                }
            }
        }
        return null;
    }

    /** The first line, at most 500 characters: a Spark message carries a whole executor stack after it. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String first = (nl < 0 ? message : message.substring(0, nl)).strip();
        return first.length() <= 500 ? first : first.substring(0, 500) + "...";
    }

    private static Path writeTrace(String jobName, Throwable t) {
        try {
            Path file = Files.createTempFile("carot-" + jobName.replaceAll("[^A-Za-z0-9-]", "_") + "-", ".trace");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
                t.printStackTrace(w);
            }
            return file;
        } catch (Throwable e) {
            return null; // e.g. out of memory or a full /tmp: the line still goes out
        }
    }
}
