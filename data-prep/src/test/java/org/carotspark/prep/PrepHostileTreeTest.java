package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.synth.GenerateStage;
import org.carotspark.synth.MiniImageNetGenerator;
import org.carotspark.testing.HostileImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Prep over a tree planted with every kind of bad entry a user's disk can hold. The rule under test: every entry
 * under a split root is written or in the rejects table with a reason, exactly once, and prep never aborts or
 * hangs. Only train (and held-out) and val are enabled, to keep the run short.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PrepHostileTreeTest {

    private static final Logger LOG = LoggerFactory.getLogger(PrepHostileTreeTest.class);
    static final String W0 = MiniImageNetGenerator.wnid(0);
    static final String W1 = MiniImageNetGenerator.wnid(1);

    @TempDir
    static Path tmp;
    static Path train;
    static Path val;
    static SparkSession spark;
    static PrepManifest manifest;
    /** Every non-directory entry under the enabled roots before prep ran, as source paths (file:/...). */
    static Set<String> entriesOnDisk;
    static Map<String, String> rejects;
    static Map<String, Row> rows;
    /** Root ignores file permissions, so chmod 000 cannot make a read fail there. */
    static boolean chmodBlocksReads;

    @BeforeAll
    static void plantAndPrepare() throws Exception {
        Path raw = tmp.resolve("raw");
        Map<String, Object> only = new HashMap<>();
        for (Split s : Split.values()) {
            if (s != Split.IMAGENET_TRAIN && s != Split.IMAGENET) {
                only.put(DataPreparation.pathKey(s), "");
            }
        }
        only.put("carot.prep.max-file-bytes", 1_000_000);
        Config config = DataPreparationTest.config(raw, tmp.resolve("parquet"), only);
        GenerateStage.run(config);
        train = raw.resolve("ILSVRC2012/train");
        val = raw.resolve("ILSVRC2012/val");
        byte[] good = Files.readAllBytes(train.resolve(W0 + "/" + W0 + "_1.JPEG"));
        byte[] good2 = Files.readAllBytes(train.resolve(W0 + "/" + W0 + "_2.JPEG"));

        Files.write(train.resolve(W0 + "/colon:name.JPEG"), good2);           // Hadoop's .crc path breaks on ':'
        Files.write(train.resolve("top:level.JPEG"), good);                   // ':' in the first segment
        Files.write(train.resolve(W0 + "/bomb.JPEG"), HostileImages.jpegClaiming(16000, 16000));
        Files.write(train.resolve(W0 + "/huge.JPEG"), new byte[2_000_000]);   // over max-file-bytes
        Files.createSymbolicLink(train.resolve(W0 + "/loop"), Path.of(".."));
        Files.createSymbolicLink(train.resolve(W0 + "/dangling.JPEG"), tmp.resolve("nowhere.JPEG"));
        mkfifo(train.resolve(W0 + "/pipe.JPEG"));
        Files.write(train.resolve(W0 + "/vanishes.JPEG"), good);              // deleted after listing
        Files.write(train.resolve(W0 + "/locked.JPEG"), good);
        Files.write(train.resolve(W0 + "/latin1.JPEG"), good);                // renamed to a non-UTF-8 name
        Process mv = new ProcessBuilder("bash", "-c", "mv \"$0/latin1.JPEG\" \"$0/\"$'caf\\xe9.JPEG'",
                train.resolve(W0).toString()).inheritIO().start();
        assertEquals(0, mv.waitFor(), "bash renames to a name with the byte 0xE9");
        Files.setPosixFilePermissions(train.resolve(W0 + "/locked.JPEG"), PosixFilePermissions.fromString("---------"));
        chmodBlocksReads = !Files.isReadable(train.resolve(W0 + "/locked.JPEG"));
        Files.write(train.resolve(W1 + "/same-bytes-as-w0.JPEG"), good2);     // identical bytes, another label
        Files.write(val.resolve(W1 + "/copy-of-train.JPEG"), good);           // identical bytes, another split
        Files.createSymbolicLink(val.resolve(W1 + "/file-link.JPEG"), val.resolve(W1 + "/copy-of-train.JPEG"));
        try (InputStream in = PrepHostileTreeTest.class.getResourceAsStream("/images/cmyk-pil.jpg")) {
            Files.write(val.resolve(W1 + "/cmyk.JPEG"), in.readAllBytes());
        }
        if (!chmodBlocksReads) {
            LOG.warn("running as root: chmod 000 does not block reads, so locked.JPEG is read normally; the "
                    + "unreadable reject is exercised by vanishes.JPEG (deleted between listing and reading)");
        }
        entriesOnDisk = new HashSet<>();
        entriesOnDisk.addAll(nonDirectoryEntries(train));
        entriesOnDisk.addAll(nonDirectoryEntries(val));

        spark = SparkSessionFactory.create(config, "hostile-tree-test");
        DataPreparation job = new DataPreparation(step -> {
            if (step.equals(DataPreparation.STEP_LISTED + "imagenet-train")) {
                Files.delete(train.resolve(W0 + "/vanishes.JPEG"));
            }
        }, java.time.Clock.systemUTC());
        manifest = job.run(spark, config);

        PreparedData prepared = PreparedData.open(tmp.resolve("parquet").toString(),
                spark.sparkContext().hadoopConfiguration());
        rows = new HashMap<>();
        for (Split s : List.of(Split.IMAGENET_TRAIN, Split.IMAGENET_HELDOUT, Split.IMAGENET)) {
            for (Row r : spark.read().parquet(prepared.splitPath(s.configName()).toString()).collectAsList()) {
                assertEquals(null, rows.put(r.getString(r.fieldIndex(ParquetColumns.SOURCE_PATH)), r),
                        "one row per source file");
            }
        }
        rejects = new HashMap<>();
        for (Row r : spark.read().parquet(tmp.resolve("parquet").resolve(PreparedData.VERSIONS_DIR)
                .resolve(manifest.version()).resolve(ParquetColumns.REJECTS_DIR).toString()).collectAsList()) {
            assertEquals(null, rejects.put(r.getString(r.fieldIndex(ParquetColumns.SOURCE_PATH)),
                    r.getString(r.fieldIndex(ParquetColumns.REASON))), "one reject per source file");
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everyEntryOnDiskIsARowOrARejectExactlyOnce() {
        Set<String> accounted = new HashSet<>(rows.keySet());
        Set<String> both = new HashSet<>(rows.keySet());
        both.retainAll(rejects.keySet());
        assertTrue(both.isEmpty(), "row and reject at once: " + both);
        accounted.addAll(rejects.keySet());
        assertEquals(entriesOnDisk, accounted);
        long seen = 0;
        long written = 0;
        long rejected = 0;
        for (SplitReport r : manifest.splits().values()) {
            assertTrue(r.reconciles(), r.toString());
            seen += r.filesSeen();
            written += r.rowsWritten();
            rejected += r.rowsRejected();
        }
        assertEquals(entriesOnDisk.size(), seen);
        assertEquals(rows.size(), written);
        assertEquals(rejects.size(), rejected);
    }

    @Test
    void aColonInAFileNameIsReadNormally() {
        assertNotNull(rows.get(source(train, W0 + "/colon:name.JPEG")), "row for colon:name.JPEG");
        assertEquals("unexpected-path: expected <wnid>/<file>", rejects.get(source(train, "top:level.JPEG")));
    }

    @Test
    void aHeaderClaiming16000x16000IsRejectedAsTooLarge() {
        assertEquals("too-large: 16000x16000 = 256000000 pixels exceeds the limit of 89478485 "
                + "(carot.prep.max-image-pixels)", rejects.get(source(train, W0 + "/bomb.JPEG")));
        assertEquals("too-large: 2000000 bytes exceeds the limit of 1000000 (carot.prep.max-file-bytes)",
                rejects.get(source(train, W0 + "/huge.JPEG")));
    }

    @Test
    void linksAndPipesAreRejectsAndNeverFollowedOrOpened() {
        assertEquals("not-a-file: symbolic link to a directory, not followed -> ..",
                rejects.get(source(train, W0 + "/loop")));
        assertTrue(rejects.get(source(train, W0 + "/dangling.JPEG")).startsWith("not-a-file: dangling symbolic link"),
                rejects.toString());
        assertEquals("not-a-file: named pipe, never opened", rejects.get(source(train, W0 + "/pipe.JPEG")));
        // The loop added one entry, not a copy of the tree.
        assertTrue(rows.keySet().stream().noneMatch(p -> p.contains("/loop/")));
        // A link to a regular file is an ordinary file.
        assertNotNull(rows.get(source(val, W1 + "/file-link.JPEG")));
    }

    @Test
    void aFileThatCannotBeReadIsAnUnreadableReject() {
        assertEquals("unreadable: no such file (removed after listing?)",
                rejects.get(source(train, W0 + "/vanishes.JPEG")));
    }

    @Test
    void aFileNameThatIsNotUtf8IsRejectedSayingSo() {
        List<String> undecodable = rejects.entrySet().stream().filter(e -> e.getKey().contains("caf"))
                .map(Map.Entry::getValue).toList();
        assertEquals(1, undecodable.size(), rejects.toString());
        assertTrue(undecodable.get(0).startsWith("unreadable: file name is not valid"), undecodable.get(0));
    }

    @Test
    void aFileWithoutReadPermissionIsAnUnreadableReject() {
        assumeFalse(!chmodBlocksReads, "running as root: chmod 000 does not block reads; the unreadable reject is "
                + "covered by aFileThatCannotBeReadIsAnUnreadableReject");
        assertEquals("unreadable: permission denied", rejects.get(source(train, W0 + "/locked.JPEG")));
    }

    @Test
    void aCmykJpegIsWrittenInItsTrueColours() throws Exception {
        Row r = rows.get(source(val, W1 + "/cmyk.JPEG"));
        assertNotNull(r);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(r.fieldIndex(ParquetColumns.IMAGE))));
        // 64x16 → 128x32 → centre 32x32 = source columns 24..39: patch 1 left of x=16, patch 2 right of it.
        int[] left = rgb(img.getRGB(4, 16));
        int[] right = rgb(img.getRGB(28, 16));
        for (int c = 0; c < 3; c++) {
            assertEquals(org.carotspark.image.FourChannelJpegTest.PIL_RGB[1][c], left[c], 10, "patch 1 channel " + c);
            assertEquals(org.carotspark.image.FourChannelJpegTest.PIL_RGB[2][c], right[c], 10, "patch 2 channel " + c);
        }
    }

    @Test
    void identicalBytesUnderTwoLabelsAreReportedAsDuplicates() {
        DuplicateReport d = manifest.duplicates();
        assertEquals(2, d.groups(), d.toString());
        assertEquals(2, d.groupsWithDifferentLabels(), d.toString());
        assertTrue(d.groupsAcrossSplits() >= 1, "train and val share a file: " + d);
        // good2 is W0_2, colon:name and same-bytes-as-w0; good is W0_1, copy-of-train, file-link and, where
        // chmod cannot stop the read (root), locked.
        assertEquals(chmodBlocksReads ? 6 : 7, d.files());
        List<String> all = new ArrayList<>();
        d.examples().values().forEach(all::addAll);
        assertTrue(all.stream().anyMatch(s -> s.endsWith(W1 + "/same-bytes-as-w0.JPEG (" + W1 + ")")), all.toString());
        assertTrue(all.stream().anyMatch(s -> s.startsWith("imagenet/" + W1 + "/copy-of-train.JPEG")), all.toString());
    }

    private static String source(Path root, String relative) {
        return "file:" + root.resolve(relative);
    }

    private static int[] rgb(int p) {
        return new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
    }

    static void mkfifo(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, proc.waitFor(), "mkfifo " + p);
    }

    /** Independent count: a plain walk that does not follow links; every entry but a directory. */
    static Set<String> nonDirectoryEntries(Path root) throws IOException {
        Set<String> out = new HashSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                out.add("file:" + file);
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }
}
