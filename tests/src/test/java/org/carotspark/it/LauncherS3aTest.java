package org.carotspark.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.fs.FileSystem;
import org.carotspark.prep.PrepManifest;
import org.carotspark.synth.GenerateStage;
import org.carotspark.testing.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.carotspark.it.Commands.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/carot prep} itself over {@code s3a://} against S3Proxy: the launcher's classpath must
 * carry the AWS SDK that the job jar leaves to the cluster (it died with NoClassDefFoundError:
 * com/amazonaws/AmazonClientException). Keys come from the environment, as the README says.
 */
class LauncherS3aTest {

    @Test
    void binCarotPrepReadsAndWritesS3a(@TempDir Path dir) throws Exception {
        Commands.assumeJobJarBuilt();
        try (S3ProxyServer s3 = S3ProxyServer.start("carot-launcher", dir.resolve("s3proxy"))) {
            Map<String, Object> sizes = new HashMap<>(Map.of("carot.generate.output-root", dir.resolve("raw").toString(),
                    "carot.generate.classes", 4, "carot.generate.train-per-class", 4, "carot.generate.val-per-class", 1,
                    "carot.generate.ood-per-class", 1, "carot.generate.imagenet-c-per-class", 1,
                    "carot.generate.imagenet-c-corruptions", List.of("contrast"),
                    "carot.generate.objectnet-unmapped-folders", 1));
            Config config = ConfigFactory.parseMap(sizes).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
            GenerateStage.run(config);
            FileSystem fs = FileSystem.get(URI.create(s3.uri("")), s3.hadoopConfiguration());
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dir.resolve("raw").toUri()),
                    new org.apache.hadoop.fs.Path(s3.uri("raw")));

            List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("bin/carot").toString(), "prep",
                    "-Dcarot.data.raw-root=" + s3.uri("raw"), "-Dcarot.data.parquet-root=" + s3.uri("parquet"),
                    "-Dcarot.s3.endpoint=" + s3.endpoint(), "-Dcarot.s3.path-style-access=true",
                    "-Dcarot.s3.ssl-enabled=false", "-Dcarot.prep.image-size=16", "-Dcarot.prep.heldout-fraction=0.25"));
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL,
                    "CAROT_JAVA_OPTS", "-Xmx1500m -Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g");
            Commands.Result r = Commands.run(dir, env, Duration.ofMinutes(5), cmd);
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(r.stderr().contains(S3ProxyServer.CREDENTIAL), "the secret key stays out of the log");

            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(s3.uri("parquet/manifest.json")))) {
                PrepManifest manifest = PrepManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                assertTrue(manifest.split(org.carotspark.data.Split.IMAGENET).rowsWritten() == 4, "4 val images");
            }
        }
    }
}
