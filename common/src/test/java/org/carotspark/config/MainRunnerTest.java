package org.carotspark.config;

import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever ends a run, exactly one line on stderr and the right exit code; executor failures unwrapped. */
class MainRunnerTest {

    static SparkSession spark;
    static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("main-runner-test")
                .config("spark.ui.enabled", "false").config("spark.task.maxFailures", "1").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    record Run(int code, String stderr) {
        String line() {
            assertTrue(stderr.endsWith("\n") && stderr.indexOf('\n') == stderr.length() - 1,
                    "exactly one line:\n" + stderr);
            return stderr.strip();
        }
    }

    static Run run(MainRunner.Body body) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainRunner.runForExitCode("job", body, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aUserFacingErrorThrownInASparkTaskIsItsOwnLineAndExitTwo() {
        Run r = run(() -> jsc.parallelize(List.of(1, 2, 3), 1).map(x -> {
            if (x == 3) {
                throw new UserFacingException("row 3 has a bad label");
            }
            return x;
        }).collect());
        assertEquals(2, r.code());
        assertEquals("job failed: row 3 has a bad label", r.line());
    }

    @Test
    void aConfigErrorInATaskIsExitTwo() {
        Run r = run(() -> jsc.parallelize(List.of(1), 1)
                .map(x -> ConfigFactory.parseString("n = abc").getInt("n")).collect());
        assertEquals(2, r.code());
        assertTrue(r.line().startsWith("job failed: config error: String: 1: n has type STRING rather than NUMBER"),
                r.line());
    }

    @Test
    void aBugInATaskIsOneLineWithTheRootCauseAndTheTraceInAFile() throws Exception {
        Run r = run(() -> jsc.parallelize(List.of(1), 1).map(x -> {
            throw new IllegalStateException("boom in task");
        }).collect());
        assertEquals(1, r.code());
        String line = r.line();
        assertTrue(line.startsWith("job failed: Spark job failed: java.lang.IllegalStateException: boom in task "
                + "(stack trace in "), line);
        assertTrue(!line.contains("\tat ") && !line.contains("Lost task"), "no executor stack: " + line);
        Matcher m = Pattern.compile("stack trace in (.*)\\)$").matcher(line);
        assertTrue(m.find());
        String trace = Files.readString(Path.of(m.group(1)));
        assertTrue(trace.contains("IllegalStateException: boom in task") && trace.contains("\tat "), trace);
        Files.delete(Path.of(m.group(1)));
    }

    @Test
    void errorsAreCaughtToo() throws Exception {
        Run oom = run(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertEquals(1, oom.code());
        assertTrue(oom.line().startsWith("job failed: out of memory (Java heap space): give the driver or executors "
                + "more memory"), oom.line());
        Run so = run(() -> {
            throw new StackOverflowError();
        });
        assertEquals(1, so.code());
        assertTrue(so.line().startsWith("job failed: unexpected error: java.lang.StackOverflowError (stack trace in "),
                so.line());
        deleteTrace(oom.line());
        deleteTrace(so.line());
    }

    @Test
    void aMultiLineUserMessageStaysOneLine() {
        Run r = run(() -> {
            throw new UserFacingException("first line\nsecond line");
        });
        assertEquals(2, r.code());
        assertEquals("job failed: first line", r.line());
    }

    @Test
    void aUserErrorQuotedOnlyInASparkMessageIsStillFound() {
        Exception wrapped = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 "
                + "failed 4 times, most recent failure: Lost task 0.3 (TID 7) (host executor 2): "
                + "org.carotspark.config.UserFacingException: image-size 15 is odd\n\tat org.carotspark.X.y(X.java:1)\n");
        Run r = run(() -> {
            throw wrapped;
        });
        assertEquals(2, r.code());
        assertEquals("job failed: image-size 15 is odd", r.line());
    }

    private static void deleteTrace(String line) throws Exception {
        Matcher m = Pattern.compile("stack trace in (.*)\\)$").matcher(line);
        if (m.find()) {
            Files.deleteIfExists(Path.of(m.group(1)));
        }
    }
}
