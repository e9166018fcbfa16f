package org.carotspark.prep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.synth.GenerateStage;
import org.carotspark.synth.MiniImageNetGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prep end to end on a tiny generated dataset with planted bad files, in local[2] Spark. */
class DataPreparationTest {

    @TempDir
    static Path tmp;
    static Path raw;
    static SparkSession spark;
    static PrepManifest first;
    static Config config;

    static Config config(Path raw, Path parquet, Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(Map.of(
                "carot.spark.master", "local[2]",
                "carot.data.raw-root", raw.toString(),
                "carot.data.parquet-root", parquet.toString(),
                "carot.prep.image-size", 32,
                "carot.prep.heldout-fraction", 0.2,
                "carot.prep.files-per-task", 64,
                "carot.generate.train-per-class", 5,
                "carot.generate.val-per-class", 2,
                "carot.generate.ood-per-class", 2,
                "carot.generate.imagenet-c-per-class", 1));
        m.put("carot.prep.train-short-side", 40);
        m.putAll(extra);
        return ConfigFactory.parseMap(m).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    }

    @BeforeAll
    static void generateAndPrepare() throws Exception {
        raw = tmp.resolve("raw");
        config = config(raw, tmp.resolve("parquet"), Map.of());
        GenerateStage.run(config);
        plantBadFiles(raw);
        plantNonSquareTrainImages(raw);
        spark = SparkSessionFactory.create(config, "prep-test");
        first = new DataPreparation().run(spark, config);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static final String W0 = MiniImageNetGenerator.wnid(0);
    static final String W1 = MiniImageNetGenerator.wnid(1);

    static void plantBadFiles(Path raw) throws Exception {
        Path good = raw.resolve("ILSVRC2012/train/" + W0 + "/" + W0 + "_1.JPEG");
        byte[] jpeg = Files.readAllBytes(good);
        Files.write(raw.resolve("ILSVRC2012/train/" + W0 + "/truncated.JPEG"), Arrays.copyOf(jpeg, jpeg.length / 3));
        Files.writeString(raw.resolve("ILSVRC2012/val/" + W1 + "/notes.JPEG"), "this is text, not a JPEG",
                StandardCharsets.UTF_8);
        Files.createDirectories(raw.resolve("imagenet-sketch/n99999999"));
        Files.write(raw.resolve("imagenet-sketch/n99999999/sketch_0.JPEG"), jpeg);
        Files.write(raw.resolve("ILSVRC2012/train/stray.JPEG"), jpeg);
        Files.createDirectories(raw.resolve("imagenetv2/10"));
        Files.write(raw.resolve("imagenetv2/10/out-of-range.jpeg"), jpeg);
    }

    /** Relative train paths of a 3:2 and a 1:4 image, named so that neither is held out. */
    static final List<String> NON_SQUARE = List.of(W1 + "/wide_3x2", W1 + "/tall_1x4").stream()
            .map(DataPreparationTest::notHeldOut).toList();

    private static String notHeldOut(String stem) {
        for (int k = 0; ; k++) {
            String rel = stem + "_" + k + ".JPEG";
            if (!HeldOutSelector.isHeldOut("imagenet-train/" + rel, 1234, 0.2)) {
                return rel;
            }
        }
    }

    static void plantNonSquareTrainImages(Path raw) throws Exception {
        int[][] sizes = {{90, 60}, {25, 100}};
        for (int i = 0; i < sizes.length; i++) {
            BufferedImage img = new BufferedImage(sizes[i][0], sizes[i][1], BufferedImage.TYPE_INT_RGB);
            ImageIO.write(img, "jpg", raw.resolve("ILSVRC2012/train").resolve(NON_SQUARE.get(i)).toFile());
        }
    }

    static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long filesUnder(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** The rejects table of the version the root's manifest publishes. */
    static Map<String, String> rejects() {
        PrepManifest published = PrepManifest.fromJson(readString(tmp.resolve("parquet/manifest.json")));
        return spark.read().parquet(tmp.resolve("parquet").resolve(PreparedData.VERSIONS_DIR)
                        .resolve(published.version()).resolve(ParquetColumns.REJECTS_DIR).toString())
                .collectAsList().stream().collect(Collectors.toMap(
                        r -> r.getString(r.fieldIndex(ParquetColumns.SOURCE_PATH)),
                        r -> r.getString(r.fieldIndex(ParquetColumns.SPLIT)) + " | "
                                + r.getString(r.fieldIndex(ParquetColumns.REASON))));
    }

    static String rejectFor(Map<String, String> rejects, String suffix) {
        return rejects.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void everyFileIsWrittenOrRejectedAndTheManifestReconciles() throws Exception {
        long trainFiles = filesUnder(raw.resolve("ILSVRC2012/train"));
        SplitReport train = first.split(Split.IMAGENET_TRAIN);
        SplitReport heldout = first.split(Split.IMAGENET_HELDOUT);
        assertEquals(trainFiles, train.filesSeen() + heldout.filesSeen());
        Map<Split, String> dirs = Map.of(Split.IMAGENET, "ILSVRC2012/val", Split.IMAGENET_V2, "imagenetv2",
                Split.IMAGENET_R, "imagenet-r", Split.IMAGENET_A, "imagenet-a", Split.IMAGENET_SKETCH,
                "imagenet-sketch", Split.OBJECTNET, "objectnet/images", Split.IMAGENET_C, "imagenet-c");
        for (Map.Entry<Split, String> d : dirs.entrySet()) {
            assertEquals(filesUnder(raw.resolve(d.getValue())), first.split(d.getKey()).filesSeen(), d.getKey().name());
        }
        for (SplitReport r : first.splits().values()) {
            assertTrue(r.reconciles(), r.toString());
            long rows = spark.read().parquet(r.outputPath()).count();
            assertEquals(r.rowsWritten(), rows, r.split());
        }
        // Manifest on disk says the same.
        PrepManifest onDisk = PrepManifest.fromJson(Files.readString(tmp.resolve("parquet/manifest.json")));
        assertEquals(first.splits().keySet(), onDisk.splits().keySet());
        assertEquals(32, onDisk.imageSize());
        assertEquals(first.split(Split.IMAGENET_C).rowsPerLabel(), onDisk.split(Split.IMAGENET_C).rowsPerLabel());
        // 15 corruptions × 5 severities × 1 image for every class.
        assertEquals(75L, first.split(Split.IMAGENET_C).rowsPerLabel().get(3));
        // Only published versions remain: the current one and the previous ones it keeps.
        Set<String> kept = new HashSet<>(onDisk.previousVersions());
        kept.add(onDisk.version());
        try (Stream<Path> versions = Files.list(tmp.resolve("parquet").resolve(PreparedData.VERSIONS_DIR))) {
            assertEquals(kept, versions.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void plantedBadFilesAreRejectedWithReasons() {
        Map<String, String> rejects = rejects();
        assertTrue(rejectFor(rejects, "/truncated.JPEG").contains("undecodable"), rejects.toString());
        assertTrue(rejectFor(rejects, "/notes.JPEG").startsWith("imagenet | undecodable: not an image"));
        assertTrue(rejectFor(rejects, "n99999999/sketch_0.JPEG")
                .startsWith("imagenet-sketch | unlabeled: unknown wnid folder 'n99999999'"));
        assertTrue(rejectFor(rejects, "train/stray.JPEG").contains("unexpected-path"));
        assertTrue(rejectFor(rejects, "imagenetv2/10/out-of-range.jpeg")
                .startsWith("imagenet-v2 | unlabeled: class index folder '10'"));
        long spiral = rejects.entrySet().stream().filter(e -> e.getKey().contains("/images/spiral/")).count();
        assertEquals(2, spiral, "unmapped ObjectNet folder is unlabeled");
        assertTrue(rejectFor(rejects, ".png").contains("has no ImageNet mapping"));
        assertEquals(2L, first.split(Split.OBJECTNET).rowsRejected() / 2);
        assertEquals(1L, first.split(Split.IMAGENET).rejectsByReason().get("undecodable"));
    }

    @Test
    void rowsFollowTheSchema() throws Exception {
        Row c = spark.read().parquet(first.split(Split.IMAGENET_C).outputPath())
                .filter("corruption = 'contrast' and severity = 5").first();
        assertTrue(c.getString(c.fieldIndex("id")).startsWith("imagenet-c/contrast/5/"));
        assertEquals(c.getString(c.fieldIndex("wnid")), MiniImageNetGenerator.wnid(c.getInt(c.fieldIndex("label"))));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) c.get(c.fieldIndex("image"))));
        assertEquals(32, img.getWidth());
        assertEquals(32, img.getHeight());
        assertTrue(c.getString(c.fieldIndex("source_path")).startsWith("file:"));

        Row v = spark.read().parquet(first.split(Split.IMAGENET).outputPath()).first();
        assertNull(v.get(v.fieldIndex("corruption")));
        assertNull(v.get(v.fieldIndex("severity")));
        assertEquals("imagenet", v.getString(v.fieldIndex("split")));

        // IN-R rows only use the IN-R subset; ObjectNet labels are ObjectNet class indices.
        Set<Integer> rLabels = first.split(Split.IMAGENET_R).rowsPerLabel().keySet();
        Set<Integer> rSubset = Arrays.stream(MiniImageNetGenerator.imagenetRSubset(10)).boxed()
                .collect(Collectors.toSet());
        assertEquals(rSubset, rLabels);
        int onClasses = MiniImageNetGenerator.objectNetGroups(10).size();
        assertEquals(onClasses, first.split(Split.OBJECTNET).rowsPerLabel().size());
        Row o = spark.read().parquet(first.split(Split.OBJECTNET).outputPath()).filter("wnid = 'road_sign'").first();
        assertTrue(o.getString(o.fieldIndex("id")).startsWith("objectnet/images/road_sign/"));
        List<String> sortedLabels = MiniImageNetGenerator.objectNetGroups(10).stream()
                .map(MiniImageNetGenerator.ObjectNetGroup::label).sorted().toList();
        assertEquals(sortedLabels.indexOf("Road sign"), o.getInt(o.fieldIndex("label")));
        assertEquals(ParquetColumns.splitSchema().fieldNames().length,
                spark.read().parquet(first.split(Split.IMAGENET_V2).outputPath()).schema().fields().length);
    }

    /** Training images whole (shorter side 40) for the executor's random crop; every other split 32 x 32. */
    @Test
    void trainImagesAreStoredWholeAndEveryOtherSplitAsCentreCrops() throws Exception {
        assertEquals(40, first.trainShortSide());
        assertEquals(32, first.imageSize());
        for (Row r : spark.read().parquet(first.split(Split.IMAGENET_TRAIN).outputPath()).collectAsList()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(r.fieldIndex("image"))));
            assertEquals(40, Math.min(img.getWidth(), img.getHeight()), r.getString(r.fieldIndex("id")));
            String id = r.getString(r.fieldIndex("id"));
            if (id.endsWith(NON_SQUARE.get(0))) {
                assertEquals(60, img.getWidth());
            } else if (id.endsWith(NON_SQUARE.get(1))) {
                assertEquals(80, img.getHeight(), "1:4 kept as its centre 1:2");
            }
        }
        for (Split s : List.of(Split.IMAGENET_HELDOUT, Split.IMAGENET, Split.OBJECTNET)) {
            Row r = spark.read().parquet(first.split(s).outputPath()).first();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(r.fieldIndex("image"))));
            assertEquals(List.of(32, 32), List.of(img.getWidth(), img.getHeight()), s.configName());
        }
        assertTrue(readString(tmp.resolve("parquet/manifest.json")).contains("\"train_short_side\" : 40"));
    }

    /** The reference carves no held-out split: a separate source (and fraction 0) leaves train whole. */
    @Test
    void aSeparateHeldOutSourceReplacesTheCarvedPart() throws Exception {
        Path parquet = tmp.resolve("parquet-heldout-source");
        Map<String, Object> trainAndHeldout = new HashMap<>();
        for (Split s : Split.values()) {
            trainAndHeldout.put(DataPreparation.pathKey(s), "");
        }
        trainAndHeldout.put(DataPreparation.pathKey(Split.IMAGENET_TRAIN), raw.resolve("ILSVRC2012/train").toString());
        trainAndHeldout.put(DataPreparation.pathKey(Split.IMAGENET_HELDOUT), raw.resolve("imagenet-sketch").toString());
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> new DataPreparation().run(spark, config(raw, parquet, trainAndHeldout)));
        assertEquals("carot.data.splits.imagenet-heldout.path is set, so the held-out split comes from it: set"
                + " carot.prep.heldout-fraction = 0 (it is 0.2) so that no train images are carved off as well",
                e.getMessage());

        trainAndHeldout.put("carot.prep.heldout-fraction", 0.0);
        PrepManifest m = new DataPreparation().run(spark, config(raw, parquet, trainAndHeldout));
        assertEquals(filesUnder(raw.resolve("ILSVRC2012/train")), m.split(Split.IMAGENET_TRAIN).filesSeen(),
                "nothing carved off train");
        SplitReport heldout = m.split(Split.IMAGENET_HELDOUT);
        assertNull(heldout.derivedFrom());
        assertEquals(filesUnder(raw.resolve("imagenet-sketch")), heldout.filesSeen());
        assertTrue(heldout.rowsWritten() > 0);
    }

    @Test
    void heldOutIsDeterministicDisjointAndRerunIsIdempotent() throws Exception {
        Set<String> train = ids(Split.IMAGENET_TRAIN);
        Set<String> heldout = ids(Split.IMAGENET_HELDOUT);
        assertFalse(heldout.isEmpty());
        Set<String> heldoutRel = strip(heldout);
        Set<String> trainRel = strip(train);
        Set<String> overlap = new HashSet<>(heldoutRel);
        overlap.retainAll(trainRel);
        assertTrue(overlap.isEmpty(), "held-out and train are disjoint");
        for (String rel : heldoutRel) {
            assertTrue(HeldOutSelector.isHeldOut("imagenet-train/" + rel, 1234, 0.2));
        }

        PrepManifest second = new DataPreparation().run(spark, config);
        assertEquals(train, ids(Split.IMAGENET_TRAIN));
        assertEquals(heldout, ids(Split.IMAGENET_HELDOUT));
        for (String s : first.splits().keySet()) {
            assertEquals(first.splits().get(s).rowsWritten(), second.splits().get(s).rowsWritten(), s);
            assertEquals(first.splits().get(s).rowsPerLabel(), second.splits().get(s).rowsPerLabel(), s);
        }
        assertEquals(rejects().size(), second.splits().values().stream().mapToLong(SplitReport::rowsRejected).sum());
    }

    @Test
    void missingSplitPathIsOneClearErrorAndEmptyPathDisablesTheSplit() throws Exception {
        Path parquet = tmp.resolve("parquet-missing");
        Config missing = config(raw, parquet, Map.of("carot.data.splits.imagenet-a.path", raw.resolve("nope").toString()));
        UserFacingException e = assertThrows(UserFacingException.class, () -> new DataPreparation().run(spark, missing));
        assertTrue(e.getMessage().contains("imagenet-a") && e.getMessage().contains("nope"), e.getMessage());
        assertEquals(2, MainRunner.runForExitCode("prepare-data", () -> new DataPreparation().run(spark, missing)));

        Map<String, Object> onlyVal = new HashMap<>();
        for (Split s : Split.values()) {
            if (s != Split.IMAGENET) {
                onlyVal.put(DataPreparation.pathKey(s), "");
            }
        }
        PrepManifest m = new DataPreparation().run(spark, config(raw, parquet, onlyVal));
        assertEquals(List.of("imagenet"), List.copyOf(m.splits().keySet()));
        PreparedData prepared = PreparedData.open(parquet.toString(), spark.sparkContext().hadoopConfiguration());
        assertTrue(Files.isDirectory(Path.of(prepared.splitPath("imagenet").toUri())));
        assertThrows(UserFacingException.class, () -> prepared.splitPath("imagenet-a"));
    }

    @Test
    void imageSizeOfTheDatasetMatchesTheConfig() {
        assertEquals(32, new ImagePreprocessor(32, 95).size());
        assertNotNull(first.split(Split.IMAGENET_SKETCH));
    }

    private static Set<String> ids(Split s) throws Exception {
        Path root = tmp.resolve("parquet");
        return spark.read().parquet(PreparedData.open(root.toString(), spark.sparkContext().hadoopConfiguration())
                        .splitPath(s.configName()).toString()).select("id")
                .collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
    }

    private static Set<String> strip(Set<String> ids) {
        return ids.stream().map(i -> i.substring(i.indexOf('/') + 1)).collect(Collectors.toSet());
    }
}
