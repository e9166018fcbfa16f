package org.carotspark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.job.FineTuneRun;
import org.carotspark.prep.DataPreparation;
import org.carotspark.report.ResultRow;
import org.carotspark.synth.GenerateStage;
import org.carotspark.testing.S3ProxyServer;
import org.carotspark.train.SparkJobs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training and evaluation with everything on {@code s3a://} against a real S3-compatible server (S3Proxy, as
 * the prep test uses): Parquet read, checkpoints written and resumed from, the report written; and a
 * checkpoint store that is unreachable is one line, not a stack trace.
 */
class S3aTrainingTest {

    @TempDir
    static java.nio.file.Path dir;
    static S3ProxyServer s3;
    static SparkSession spark;

    static Config config(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "-Dcarot.data.parquet-root=" + s3.uri("parquet"),
                "-Dcarot.output-dir=" + s3.uri("run"),
                "-Dcarot.train.checkpoint-dir=" + s3.uri("checkpoints"),
                "-Dcarot.train.checkpoint-every-steps=2",
                "-Dcarot.methods=[carot]",
                "-Dcarot.eval.splits=[imagenet]",
                "-Dcarot.s3.endpoint=" + s3.endpoint(),
                "-Dcarot.s3.path-style-access=true",
                "-Dcarot.s3.ssl-enabled=false",
                "-Dcarot.s3.access-key=" + S3ProxyServer.IDENTITY,
                "-Dcarot.s3.secret-key=" + S3ProxyServer.CREDENTIAL,
                // An unreachable store fails in seconds, not after S3A's minutes of retries.
                "-Dcarot.spark.conf.\"spark.hadoop.fs.s3a.attempts.maximum\"=1",
                "-Dcarot.spark.conf.\"spark.hadoop.fs.s3a.retry.limit\"=1",
                "-Dcarot.spark.conf.\"spark.hadoop.fs.s3a.connection.establish.timeout\"=2000"));
        for (String split : List.of("imagenet-v2", "imagenet-r", "imagenet-a", "imagenet-sketch", "objectnet",
                "imagenet-c")) {
            args.add("-Dcarot.data.splits." + split + ".path=");
        }
        args.addAll(List.of(extra));
        return EndToEndTest.configFor(dir, args.toArray(new String[0]));
    }

    @BeforeAll
    static void prepareOnS3() throws Exception {
        s3 = S3ProxyServer.start("carot-train", dir.resolve("s3proxy"));
        Config c = config();
        GenerateStage.run(c);
        spark = SparkJobs.start(c, "s3a-training-test");
        new DataPreparation().run(spark, c);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private FileSystem fs() throws Exception {
        return FileSystem.get(URI.create(s3.uri("")), spark.sparkContext().hadoopConfiguration());
    }

    @Test
    void trainsEvaluatesCheckpointsAndResumesEverythingOnS3a() throws Exception {
        List<ResultRow> first = new FineTuneRun(spark, config()).run();
        FileSystem fs = fs();
        Path methodDir = new Path(s3.uri("checkpoints/carot"));
        assertTrue(fs.exists(new Path(methodDir, "LATEST")), "checkpoints on S3");
        assertTrue(fs.exists(new Path(methodDir, "evaluation.json")));
        JsonNode report;
        try (InputStream in = fs.open(new Path(s3.uri("run/report.json")))) {
            report = new ObjectMapper().readTree(in);
        }
        assertEquals("imagenet", report.get("results").get(0).get("split").asText(), "the report on S3: " + report);
        assertFalse(fs.exists(new Path(s3.uri("run/report.json.tmp"))));

        // A restart of a finished job reads the finished method's rows instead of training again.
        assertEquals(first, new FineTuneRun(spark, config()).run());

        // Killed before its last checkpoint and before evaluating: resumes from S3 and ends at the same numbers.
        fs.delete(new Path(methodDir, "evaluation.json"), false);
        Path newest = new Path(methodDir, "step-" + lastStep(fs, methodDir));
        fs.delete(newest, true);
        fs.delete(new Path(methodDir, "LATEST"), false);
        assertEquals(first, new FineTuneRun(spark, config()).run(), "resumed on S3, same report");
    }

    private static long lastStep(FileSystem fs, Path methodDir) throws Exception {
        long last = -1;
        for (var s : fs.listStatus(methodDir)) {
            String name = s.getPath().getName();
            if (name.startsWith("step-")) {
                last = Math.max(last, Long.parseLong(name.substring("step-".length())));
            }
        }
        return last;
    }

    /**
     * The checkpoint store (its own S3 server) goes down while the job trains: the next checkpoint fails with one
     * line naming it; once the store is back, the rerun resumes from the last checkpoint completed before the
     * outage and ends at exactly the report of a run that was never interrupted.
     */
    @Test
    void aCheckpointStoreOutageMidRunIsOneLineAndTheRerunResumesToTheSameReport() throws Exception {
        List<ResultRow> uninterrupted = new FineTuneRun(spark, config(
                "-Dcarot.train.checkpoint-dir=" + s3.uri("checkpoints-reference"),
                "-Dcarot.output-dir=" + s3.uri("run-reference"))).run();

        S3ProxyServer store = S3ProxyServer.startPersistent("carot-store", dir.resolve("store"));
        spark.sparkContext().hadoopConfiguration().set("fs.s3a.bucket.carot-store.endpoint", store.endpoint());
        Config outage = config("-Dcarot.train.checkpoint-dir=s3a://carot-store/checkpoints",
                "-Dcarot.output-dir=" + s3.uri("run-outage"));
        // The store fails as soon as its first checkpoint is complete (LATEST written).
        java.nio.file.Path latest = store.objectFile("checkpoints/carot/LATEST");
        Thread outageTrigger = new Thread(() -> {
            while (!Files.exists(latest)) {
                Thread.onSpinWait();
            }
            store.close();
        });
        outageTrigger.start();
        try {
            UserFacingException e = assertThrows(UserFacingException.class, () -> new FineTuneRun(spark, outage).run());
            assertTrue(e.getMessage().startsWith("cannot write the checkpoint s3a://carot-store/checkpoints/carot/step-")
                    && !e.getMessage().contains("\n"), e.getMessage());
        } finally {
            outageTrigger.join(60_000);
        }
        S3ProxyServer back = store.restart();
        try {
            assertEquals(uninterrupted, new FineTuneRun(spark, outage).run(), "resumed to the uninterrupted report");
            JsonNode run;
            try (InputStream in = fs().open(new Path(s3.uri("run-outage/report.json")))) {
                run = new ObjectMapper().readTree(in).get("run").get("carot");
            }
            assertTrue(run.get("resumed_from_step").asLong() >= 2, "resumed, not retrained: " + run);
        } finally {
            back.close();
        }
    }

    @Test
    void anUnreachableCheckpointStoreIsOneLine() throws Exception {
        S3ProxyServer gone = S3ProxyServer.start("carot-gone", dir.resolve("gone"));
        String endpoint = gone.endpoint();
        gone.close();
        Config c = config("-Dcarot.train.checkpoint-dir=s3a://carot-gone/checkpoints",
                "-Dcarot.output-dir=" + dir.resolve("run-gone"),
                "-Dcarot.spark.conf.\"spark.hadoop.fs.s3a.bucket.carot-gone.endpoint\"=" + endpoint);
        // The session's Hadoop settings come from the config: apply the dead bucket's endpoint to this session.
        spark.sparkContext().hadoopConfiguration().set("fs.s3a.bucket.carot-gone.endpoint", endpoint);
        UserFacingException e = assertThrows(UserFacingException.class, () -> new FineTuneRun(spark, c).run());
        assertTrue(e.getMessage().contains("s3a://carot-gone/checkpoints"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(Files.exists(dir.resolve("run-gone").resolve("report.json")), "no report from a failed run");
    }
}
