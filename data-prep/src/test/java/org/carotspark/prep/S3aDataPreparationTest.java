package org.carotspark.prep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.synth.GenerateStage;
import org.carotspark.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prep reading raw layouts from s3a:// and writing Parquet to s3a://, against S3Proxy on loopback. */
class S3aDataPreparationTest {

    @TempDir
    static Path tmp;
    static S3ProxyServer s3;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start("carot-" + UUID.randomUUID().toString().substring(0, 8), tmp.resolve("s3proxy"));
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

    @Test
    void prepReadsAndWritesThroughS3a() throws Exception {
        Path local = tmp.resolve("raw");
        Map<String, Object> m = new HashMap<>(s3.carotConfig());
        m.put("carot.spark.master", "local[2]");
        m.put("carot.generate.output-root", local.toString());
        m.put("carot.generate.classes", 4);
        m.put("carot.generate.train-per-class", 4);
        m.put("carot.generate.val-per-class", 1);
        m.put("carot.generate.ood-per-class", 1);
        m.put("carot.generate.imagenet-c-per-class", 1);
        m.put("carot.generate.imagenet-c-corruptions", List.of("contrast"));
        m.put("carot.generate.objectnet-unmapped-folders", 1);
        m.put("carot.data.raw-root", s3.uri("raw"));
        m.put("carot.data.parquet-root", s3.uri("parquet"));
        m.put("carot.prep.image-size", 24);
        m.put("carot.prep.heldout-fraction", 0.25);
        Config config = ConfigFactory.parseMap(m).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
        GenerateStage.run(config);

        FileSystem fs = FileSystem.get(URI.create(s3.uri("")), s3.hadoopConfiguration());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(s3.uri("raw")));

        spark = SparkSessionFactory.create(config, "s3a-prep-test");
        PrepManifest manifest = new DataPreparation().run(spark, config);

        assertEquals(16, manifest.split(Split.IMAGENET_TRAIN).filesSeen()
                + manifest.split(Split.IMAGENET_HELDOUT).filesSeen());
        assertEquals(4, manifest.split(Split.IMAGENET).rowsWritten());
        assertEquals(4 * 5, manifest.split(Split.IMAGENET_C).rowsWritten());
        assertEquals(1, manifest.split(Split.OBJECTNET).rowsRejected(), "the unmapped folder");
        for (SplitReport r : manifest.splits().values()) {
            assertTrue(r.reconciles(), r.toString());
            assertTrue(r.outputPath().startsWith("s3a://"), r.outputPath());
            assertEquals(r.rowsWritten(), spark.read().parquet(r.outputPath()).count(), r.split());
        }
        assertTrue(manifest.split(Split.IMAGENET).sourceRoot().startsWith("s3a://"));
        String json = HadoopFs.readString(new org.apache.hadoop.fs.Path(s3.uri("parquet/" + ParquetColumns.MANIFEST_FILE)),
                spark.sparkContext().hadoopConfiguration());
        assertEquals(manifest.split(Split.IMAGENET_C).rowsPerLabel(),
                PrepManifest.fromJson(json).split(Split.IMAGENET_C).rowsPerLabel());
        assertEquals(1, spark.read().parquet(s3.uri("parquet/" + PreparedData.VERSIONS_DIR + "/" + manifest.version()
                        + "/" + ParquetColumns.REJECTS_DIR)).filter("split = 'objectnet'").count());

        // Re-running publishes a new version on S3 too, and readers follow the manifest to it.
        PrepManifest again = new DataPreparation().run(spark, config);
        assertEquals(manifest.split(Split.IMAGENET_TRAIN).rowsWritten(), again.split(Split.IMAGENET_TRAIN).rowsWritten());
        PreparedData published = PreparedData.open(s3.uri("parquet"), spark.sparkContext().hadoopConfiguration());
        assertEquals(again.version(), published.version().orElseThrow());
        assertEquals(again.split(Split.IMAGENET_TRAIN).rowsWritten(),
                spark.read().parquet(published.splitPath("imagenet-train").toString()).count());
    }
}
