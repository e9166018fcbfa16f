package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.synth.GenerateStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prep run is published whole or not at all: killed at any step it leaves the previous version in use
 * (train and its held-out part together), and a second prep on the same root while one runs is refused with
 * one line.
 */
class PrepPublishTest {

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Config config;

    @BeforeAll
    static void generate() throws Exception {
        Map<String, Object> trainAndVal = new HashMap<>();
        for (Split s : Split.values()) {
            if (s != Split.IMAGENET_TRAIN && s != Split.IMAGENET) {
                trainAndVal.put(DataPreparation.pathKey(s), "");
            }
        }
        config = DataPreparationTest.config(tmp.resolve("raw"), tmp.resolve("parquet"), trainAndVal);
        GenerateStage.run(config);
        spark = SparkSessionFactory.create(config, "prep-publish-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static PreparedData published() throws Exception {
        return PreparedData.open(tmp.resolve("parquet").toString(), spark.sparkContext().hadoopConfiguration());
    }

    private static Set<String> ids(PreparedData data, Split split) {
        return spark.read().parquet(data.splitPath(split.configName()).toString()).select("id").collectAsList()
                .stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    }

    @Test
    void aPrepKilledAtAnyStepLeavesThePreviousVersionInUseAndTheNextRunPublishes() throws Exception {
        PrepManifest first = new DataPreparation().run(spark, config);
        Set<String> train = ids(published(), Split.IMAGENET_TRAIN);
        Set<String> heldout = ids(published(), Split.IMAGENET_HELDOUT);
        for (String step : List.of(DataPreparation.STEP_LOCKED,
                DataPreparation.STEP_SPLIT_WRITTEN + Split.IMAGENET_TRAIN.configName(),
                DataPreparation.STEP_VERSION_WRITTEN)) {
            DataPreparation killed = new DataPreparation(reached -> {
                if (reached.equals(step)) {
                    throw new IllegalStateException("killed at " + step);
                }
            }, Clock.systemUTC());
            assertThrows(IllegalStateException.class, () -> killed.run(spark, config), step);
            PreparedData now = published();
            assertEquals(first.version(), now.version().orElseThrow(), "still the first version after " + step);
            assertEquals(train, ids(now, Split.IMAGENET_TRAIN), step);
            assertEquals(heldout, ids(now, Split.IMAGENET_HELDOUT), "train and held-out from one run: " + step);
        }
        PrepManifest next = new DataPreparation().run(spark, config);
        assertNotEquals(first.version(), next.version());
        assertEquals(next.version(), published().version().orElseThrow());
        assertEquals(train, ids(published(), Split.IMAGENET_TRAIN), "same data, newer version");
        try (Stream<Path> versions = Files.list(tmp.resolve("parquet").resolve(PreparedData.VERSIONS_DIR))) {
            assertEquals(Set.of(next.version(), first.version()), versions.map(p -> p.getFileName().toString())
                    .collect(Collectors.toSet()), "the killed runs' leftovers are collected; one previous kept");
        }
    }

    @Test
    void aSecondPrepOnTheSameRootWhileOneRunsIsRefusedWithOneLine() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> firstFailed = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                new DataPreparation(step -> {
                    if (step.equals(DataPreparation.STEP_LOCKED)) {
                        locked.countDown();
                        assertTrue(release.await(2, TimeUnit.MINUTES));
                    }
                }, Clock.systemUTC()).run(spark, config);
            } catch (Throwable t) {
                firstFailed.set(t);
            }
        });
        running.start();
        try {
            assertTrue(locked.await(2, TimeUnit.MINUTES), "the first prep took the lock");
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> new DataPreparation().run(spark, config));
            assertTrue(e.getMessage().startsWith("another prep is writing to ") && e.getMessage().contains(
                    "wait for it to finish, or delete the lock file if that process is gone"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(2, MainRunner.runForExitCode("prepare-data", () -> new DataPreparation().run(spark, config)));
        } finally {
            release.countDown();
            running.join(TimeUnit.MINUTES.toMillis(3));
        }
        assertNull(firstFailed.get(), "the first prep publishes as if alone");
    }

    /** A marker whose process is gone (same host), or one silent longer than lock-stale-after, is taken over. */
    @Test
    void aStaleLockIsTakenOverWithAWarning() throws Exception {
        Path lockDir = Files.createDirectories(tmp.resolve("parquet").resolve(PrepLock.LOCK_DIR));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        PrepLock.Owner me = PrepLock.Owner.current(Clock.systemUTC());
        PrepLock.Owner dead = new PrepLock.Owner("dead-owner", me.host(), gone.pid(), me.user(), me.started());
        Files.writeString(lockDir.resolve("dead-owner.json"), dead.toJson(me.started()));
        PrepLock.Owner silent = new PrepLock.Owner("silent-owner", "another-host", 1, "someone", me.started());
        Path silentMarker = lockDir.resolve("silent-owner.json");
        Files.writeString(silentMarker, silent.toJson(me.started()));
        Files.setLastModifiedTime(silentMarker, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1)));

        PrepManifest m = new DataPreparation().run(spark, config);
        assertEquals(m.version(), published().version().orElseThrow());
        try (Stream<Path> left = Files.list(lockDir)) {
            assertEquals(List.of(), left.toList(), "both stale markers removed, and our own released");
        }
    }

    /** An existing but empty (unmounted) source must not replace good data: refused, the old version stays. */
    @Test
    void aSplitThatWouldShrinkToNothingIsRefusedAndThePreviousVersionStaysPublished() throws Exception {
        Path parquet = tmp.resolve("parquet-shrink");
        Map<String, Object> overrides = new HashMap<>();
        config.getConfig("carot.data.splits").entrySet().forEach(e ->
                overrides.put("carot.data.splits." + e.getKey(), e.getValue().unwrapped()));
        overrides.put("carot.data.parquet-root", parquet.toString());
        Config good = DataPreparationTest.config(tmp.resolve("raw"), parquet, overrides);
        PrepManifest first = new DataPreparation().run(spark, good);
        PreparedData published = PreparedData.open(parquet.toString(), spark.sparkContext().hadoopConfiguration());
        Set<String> train = ids(published, Split.IMAGENET_TRAIN);

        Path empty = Files.createDirectories(tmp.resolve("unmounted/train"));
        overrides.put(DataPreparation.pathKey(Split.IMAGENET_TRAIN), empty.toString());
        Config unmounted = DataPreparationTest.config(tmp.resolve("raw"), parquet, overrides);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = MainRunner.runForExitCode("prep", () -> new DataPreparation().run(spark, unmounted),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        String line = err.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(2, code, line);
        assertTrue(line.contains("imagenet-train") && line.contains("0 rows") && line.contains(first.version())
                && line.contains("carot.prep.force-shrink"), line);
        assertFalse(line.contains("\n"), "one line");
        PreparedData still = PreparedData.open(parquet.toString(), spark.sparkContext().hadoopConfiguration());
        assertEquals(first.version(), still.version().orElseThrow(), "the good version stays published");
        assertEquals(train, ids(still, Split.IMAGENET_TRAIN));

        // carot.prep.force-shrink publishes even an empty split.
        overrides.put("carot.prep.force-shrink", true);
        PrepManifest forced = new DataPreparation().run(spark, DataPreparationTest.config(tmp.resolve("raw"), parquet,
                overrides));
        assertEquals(0, forced.split(Split.IMAGENET_TRAIN).rowsWritten());
    }
}
