package org.carotspark.it;

import com.typesafe.config.Config;
import org.carotspark.synth.GenerateStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shaded job jar through Spark's real {@code SparkSubmit} in its own JVM, exactly as
 * {@code spark-submit --class PrepareDataJob|FineTuneJob <job jar> <config> [-Dkey=value ...]}.
 */
class SparkSubmitTest {

    static final Path JOB_JAR = Path.of("..", "spark-job", "target", "carot-spark-job.jar");
    static final Path SPARK_CLASSPATH = Path.of("..", "spark-job", "target", "spark-classpath.txt");

    @TempDir
    static Path dir;
    static Path conf;

    record Result(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void generate() throws Exception {
        assumeTrue(Files.exists(JOB_JAR) && Files.exists(SPARK_CLASSPATH),
                "needs the job jar: run through 'mvn verify' (package precedes this module's tests)");
        Config config = EndToEndTest.configFor(dir);
        GenerateStage.run(config);
        conf = dir.resolve("tiny.conf");
        StringBuilder hocon = new StringBuilder();
        for (String key : List.of("carot.data.raw-root", "carot.data.parquet-root", "carot.output-dir")) {
            hocon.append(key).append(" = \"").append(config.getString(key)).append("\"\n");
        }
        Files.writeString(conf, hocon);
    }

    static Result submit(String mainClass, String... appArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx3g");
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.add("-cp");
        cmd.add(Files.readString(SPARK_CLASSPATH).trim());
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf",
                "spark.ui.enabled=false", "--class", mainClass, JOB_JAR.toAbsolutePath().toString()));
        cmd.add(conf.toString());
        // Sizes of the tiny run: the same overrides as the in-process end-to-end test.
        for (String a : EndToEndTest.tinyOverrides(dir)) {
            cmd.add(a);
        }
        cmd.addAll(List.of(appArgs));
        File out = dir.resolve(mainClass + ".out").toFile();
        File err = dir.resolve(mainClass + ".err").toFile();
        Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), mainClass + " did not finish in 5 minutes");
        return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    @Test
    void prepareThenFineTuneAsWrittenInTheReadme() throws Exception {
        Result prep = submit("PrepareDataJob");
        assertEquals(0, prep.exitCode(), prep.stderr());
        assertTrue(Files.exists(dir.resolve("parquet/manifest.json")));

        // S3 keys by -D (the process list shows them; the environment is the documented way) and an event log.
        Path events = Files.createDirectories(dir.resolve("events"));
        Result run = submit("FineTuneJob", "-Dcarot.methods=[zeroshot,carot]", "-Dcarot.s3.access-key=AKIAFULLRUNKEY",
                "-Dcarot.s3.secret-key=FULLRUNSECRETVALUE", "-Dcarot.spark.conf.\"spark.eventLog.enabled\"=true",
                "-Dcarot.spark.conf.\"spark.eventLog.dir\"=" + events.toUri());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.list(events).findAny().isPresent(), "an event log was written");
        // Every output of the run (report, checkpoints, evaluation rows, event log, stdout/stderr): no secret.
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("FULLRUNSECRETVALUE") || text.contains("AKIAFULLRUNKEY"),
                        "a secret in " + f);
            }
        }
        assertTrue(run.stdout().contains("| carot |"), "tables on stdout:\n" + run.stdout());
        assertFalse(run.stdout().contains("Added differentiated op"), "no SameDiff noise on stdout");
        assertTrue(Files.exists(dir.resolve("run/report.json")));

        Result bad = submit("FineTuneJob", "-Dcarot.train.global-batch-size=15");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("train failed: carot.train.global-batch-size 15 does not divide"),
                bad.stderr());
        assertFalse(bad.stderr().contains("\tat org.carotspark"), "a user error has no stack trace");
    }

    @Test
    void secretsNeverReachTheLog() throws Exception {
        Result run = submit("FineTuneJob", "-Dcarot.s3.secret-key=SUPERSECRETVALUE",
                "-Dcarot.s3.access-key=AKIASECRETACCESS", "-Dcarot.train.global-batch-size=15");
        assertFalse(run.stderr().contains("SUPERSECRETVALUE") || run.stdout().contains("SUPERSECRETVALUE"));
        assertFalse(run.stderr().contains("AKIASECRETACCESS"));
        assertTrue(run.stderr().contains("secret-key"), "the resolved config is logged, masked");
    }
}
