package org.carotspark.it;

import com.typesafe.config.Config;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.job.RunSummary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.carotspark.it.Commands.CONF;
import static org.carotspark.it.Commands.ROOT;
import static org.carotspark.it.Commands.carot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Profiles load the same wherever they are named from: by bare name in their own directory (as
 * {@code spark-submit --files} hands them to a cluster-mode driver), by path from anywhere, through
 * {@code bin/carot} started in the caller's directory, whose relative paths stay the caller's.
 */
class ProfilesTest {

    @BeforeAll
    static void needsTheJar() {
        Commands.assumeJobJarBuilt();
    }

    @Test
    void everyProfileResolvesToTheSameValuesByBareNameAndByPath(@TempDir Path elsewhere) throws Exception {
        List<Path> profiles;
        try (Stream<Path> s = Files.list(CONF)) {
            profiles = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(profiles.size() >= 6, "conf/*.conf: " + profiles);
        for (Path profile : profiles) {
            String name = profile.getFileName().toString();
            Commands.Result bare = carot(CONF, "config", name);
            Commands.Result byPath = carot(elsewhere, "config", "--config", profile.toString());
            assertEquals(0, bare.exitCode(), name + ": " + bare);
            assertEquals(0, byPath.exitCode(), name + ": " + byPath);
            assertEquals(byPath.stdout(), bare.stdout(), name + " by bare name vs by path");
            if (name.equals("emr.conf") || name.equals("dataproc.conf")) {
                // What a dropped include silently turned into the tiny built-in model.
                assertTrue(bare.stdout().contains("vision-width=768") && bare.stdout().contains("image-size=224"),
                        name + " by bare name:\n" + bare.stdout());
            }
        }
    }

    @Test
    void aMissingIncludeIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.conf"), "include required(\"not-there.conf\")\ncarot.methods = [flyp]\n");
        Commands.Result r = carot(dir, "config", "p.conf");
        assertEquals(2, r.exitCode(), r.toString());
        List<String> errors = r.stderr().lines().filter(l -> l.contains("failed")).toList();
        assertEquals(1, errors.size(), r.stderr());
        assertTrue(errors.get(0).contains("not-there.conf"), errors.get(0));
        assertFalse(r.stderr().contains("\tat "), "no stack trace");
    }

    /** {@code --seeds N} is the study's seed count, in either spelling; a missing number is one line, exit 2. */
    @Test
    void seedsIsTheStudysSeedCount(@TempDir Path dir) throws Exception {
        for (String[] args : new String[][] {{"config", "--seeds", "5"}, {"config", "--seeds=5"}}) {
            Commands.Result r = carot(dir, args);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("seeds=\"5\""), r.stdout());
        }
        Commands.Result bad = carot(dir, "study", "--seeds");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.stderr().contains("--seeds needs a number"), bad.stderr());
    }

    @Test
    void configAndRelativePathsInItResolveAgainstTheCallersDirectory(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("sizes.conf"), """
                carot.generate { classes = 4, train-per-class = 2, val-per-class = 1, ood-per-class = 1,
                  imagenet-c-per-class = 1, imagenet-c-corruptions = [contrast], objectnet-unmapped-folders = 1 }
                """);
        Files.writeString(work.resolve("my.conf"), "include required(\"sizes.conf\")\ncarot.data.raw-root = \"gen\"\n");
        Commands.Result r = carot(work, "generate", "--config", "my.conf", "-Dcarot.generate.min-size=16",
                "-Dcarot.generate.max-size=20");
        assertEquals(0, r.exitCode(), r.toString());
        try (Stream<Path> classes = Files.list(work.resolve("gen/ILSVRC2012/train"))) {
            assertEquals(4, classes.count(), "the include's 4 classes, under the caller's gen/");
        }
        assertFalse(Files.exists(ROOT.resolve("gen")), "nothing written under the repository");
    }

    @Test
    void theRunSummaryNamesTheModelAndPathsAndWhereTheyCameFrom() {
        String emr = RunSummary.line(CarotConfigLoader.load(new String[] {CONF.resolve("emr.conf").toString()}));
        assertTrue(emr.contains("model image 224/patch 16, vision 768x12 (12 heads), text 512x12 (8 heads), embed 512 "
                + "[imagenet-paths.conf]"), emr);
        assertTrue(emr.contains("parquet-root s3a://YOUR-BUCKET/carot/parquet [emr.conf]"), emr);
        assertTrue(emr.contains("classnames s3a://YOUR-BUCKET/imagenet-raw/metadata/openai_classnames.txt "
                + "[imagenet-paths.conf]"), emr);
        Config local = CarotConfigLoader.load(new String[] {CONF.resolve("local.conf").toString(),
                "-Dcarot.data.parquet-root=/x"});
        String line = RunSummary.line(local);
        assertTrue(line.contains("vision 64x2 (4 heads)") && line.contains("[reference.conf]"), line);
        assertTrue(line.contains("parquet-root /x [command-line -Dcarot.data.parquet-root]"), line);
        assertFalse(line.contains("\n"), "one line");
    }
}
