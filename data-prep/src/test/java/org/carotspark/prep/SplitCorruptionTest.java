package org.carotspark.prep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.corrupt.Corruption;
import org.carotspark.corrupt.ImageNetC;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.image.RgbImage;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A prepared split turned into an ImageNet-C style split in local[2] Spark. */
class SplitCorruptionTest {

    @TempDir
    static Path tmp;
    static SparkSession spark;

    static Config config(Map<String, Object> extra) {
        Map<String, Object> m = new HashMap<>(Map.of(
                "carot.spark.master", "local[2]",
                "carot.data.parquet-root", tmp.resolve("parquet").toString(),
                "carot.corrupt.corruptions", List.of("fog", "gaussian_noise"),
                "carot.corrupt.severities", List.of(1, 5),
                "carot.corrupt.images-per-class", 2,
                "carot.corrupt.images-per-task", 2,
                "carot.prep.image-size", 24));
        m.putAll(extra);
        return ConfigFactory.parseMap(m).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    }

    static byte[] image(int shade) {
        RgbImage img = new RgbImage(24, 24);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 24; x++) {
                img.set(0, x, y, (x * 10 + shade) % 256);
                img.set(1, x, y, (y * 10 + 2 * shade) % 256);
                img.set(2, x, y, shade);
            }
        }
        return ImagePreprocessor.encodeJpeg(img, 95);
    }

    /** The corrupted split, where the published manifest says it is. */
    static String published(String split) throws Exception {
        return PreparedData.open(tmp.resolve("parquet").toString(), new org.apache.hadoop.conf.Configuration())
                .splitPath(split).toString();
    }

    @BeforeAll
    static void prepared() throws Exception {
        spark = SparkSessionFactory.create(config(Map.of()), "corrupt-test");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int label = i < 3 ? 0 : 1;
            String wnid = label == 0 ? "n01" : "n02";
            rows.add(RowFactory.create("imagenet/" + wnid + "/v" + i + ".JPEG", image(30 * i), label, wnid, "imagenet",
                    "file:/raw/val/" + wnid + "/v" + i + ".JPEG", null, null));
        }
        String val = tmp.resolve("parquet/imagenet").toString();
        spark.createDataFrame(rows, ParquetColumns.splitSchema()).write().parquet(val);
        // As a prep run written before versioning left it: the split at the root, its manifest entry a full path.
        SplitReport entry = new SplitReport("imagenet", "file:/raw/val", null, null, val, null, 6, 6, 0,
                new java.util.TreeMap<>(Map.of(0, 3L, 1, 3L)), new java.util.TreeMap<>(), 1.0, null);
        Files.writeString(tmp.resolve("parquet/manifest.json"), new PrepManifest(null, List.of(), 24, 24, 95, 0, 0,
                Map.of("imagenet", entry), new DuplicateReport(0, 0, 0, 0, null, Map.of())).toJson());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everySampledImageUnderEveryCorruptionAndSeverityWithItsOwnIds() throws Exception {
        SplitReport report = new SplitCorruption().run(spark, config(Map.of()));
        List<Row> out = spark.read().parquet(published("imagenet-c")).collectAsList();
        assertEquals(2 * 2 * 2 * 2, out.size(), "2 classes x 2 images x 2 corruptions x 2 severities");
        assertEquals(16, report.rowsWritten());
        assertEquals(Map.of(0, 8L, 1, 8L), report.rowsPerLabel());
        assertTrue(report.reconciles());
        for (Row r : out) {
            String id = r.getAs(ParquetColumns.ID);
            String corruption = r.getAs(ParquetColumns.CORRUPTION);
            int severity = r.getAs(ParquetColumns.SEVERITY);
            assertTrue(id.startsWith("imagenet-c/" + corruption + "/" + severity + "/n0"), id);
            assertEquals("imagenet-c", r.getAs(ParquetColumns.SPLIT));
            assertTrue(Set.of("fog", "gaussian_noise").contains(corruption));
            RgbImage img = ImageDecoder.decode(r.getAs(ParquetColumns.IMAGE));
            assertEquals(24, img.width());
        }
        Set<String> sources = out.stream().map(r -> r.<String>getAs(ParquetColumns.ID).replaceFirst("^imagenet-c/[^/]+/\\d/", ""))
                .collect(Collectors.toSet());
        assertEquals(4, sources.size(), "a 2-per-class sample: " + sources);
        String manifest = Files.readString(tmp.resolve("parquet/manifest.json"));
        assertTrue(manifest.contains("\"imagenet-c\"") && manifest.contains("\"derived_from\" : \"imagenet\""), manifest);
        PrepManifest published = PrepManifest.fromJson(manifest);
        assertEquals(Set.of("imagenet", "imagenet-c"), published.splits().keySet(), "the source split carried over");
        assertEquals(published.version(), published.splits().get("imagenet-c").version(), "a new version");

        // Each image is exactly ImageNetC.apply with the stream of (seed, source id, corruption, severity).
        Row fog5 = out.stream().filter(r -> r.<String>getAs(ParquetColumns.ID).startsWith("imagenet-c/fog/5/"))
                .findFirst().orElseThrow();
        String sourceId = "imagenet/" + fog5.<String>getAs(ParquetColumns.ID).substring("imagenet-c/fog/5/".length());
        int shade = 30 * Integer.parseInt(sourceId.replaceAll(".*/v(\\d)\\.JPEG", "$1"));
        byte[] expected = ImagePreprocessor.encodeJpeg(ImageNetC.apply(ImageDecoder.decode(image(shade)), Corruption.FOG,
                5, ImageNetC.seedFor(2019, sourceId, Corruption.FOG, 5)), 85);
        assertArrayEquals(expected, fog5.getAs(ParquetColumns.IMAGE), sourceId);

        // A second run gives the same bytes: deterministic, whatever the partitioning.
        new SplitCorruption().run(spark, config(Map.of("carot.corrupt.images-per-task", 1)));
        Map<String, byte[]> again = spark.read().parquet(published("imagenet-c")).collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getAs(ParquetColumns.ID), r -> r.getAs(ParquetColumns.IMAGE)));
        for (Row r : out) {
            assertTrue(Arrays.equals(r.<byte[]>getAs(ParquetColumns.IMAGE), again.get(r.<String>getAs(ParquetColumns.ID))),
                    r.<String>getAs(ParquetColumns.ID));
        }
    }

    @Test
    void badSettingsAreOneClearError() {
        UserFacingException unknown = assertThrows(UserFacingException.class, () -> new SplitCorruption().run(spark,
                config(Map.of("carot.corrupt.corruptions", List.of("fog", "blur_more")))));
        assertTrue(unknown.getMessage().contains("unknown corruption 'blur_more'"), unknown.getMessage());
        UserFacingException severity = assertThrows(UserFacingException.class, () -> new SplitCorruption().run(spark,
                config(Map.of("carot.corrupt.severities", List.of(0, 6)))));
        assertTrue(severity.getMessage().contains("1..5"), severity.getMessage());
        UserFacingException missing = assertThrows(UserFacingException.class, () -> new SplitCorruption().run(spark,
                config(Map.of("carot.corrupt.source-split", "imagenet-v2"))));
        assertTrue(missing.getMessage().contains("'imagenet-v2' has no prepared data"), missing.getMessage());
    }
}
