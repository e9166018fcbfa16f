package org.carotspark.config;

import com.typesafe.config.Config;
import org.apache.spark.SparkConf;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unknown keys, -D options outside carot.*, forwarded Spark properties and secrets in config files. */
class ConfigMistakesTest {

    /** Runs a config load as a main would and returns {exit code, the stderr text}. */
    static Object[] asMain(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainRunner.runForExitCode("prepare-data", () -> CarotConfigLoader.load(args),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aMisspelledKeyIsWarnedAboutWithTheNearestKnownKey() {
        Config c = CarotConfigLoader.load(new String[] {"-Dcarot.prep.image-szie=64"});
        assertEquals(224, c.getInt("carot.prep.image-size"), "the typo changes nothing");
        assertEquals(List.of("unknown setting carot.prep.image-szie (command-line -Dcarot.prep.image-szie); did you "
                        + "mean carot.prep.image-size?"),
                UnknownSettings.fromReference().describeUnknown(c));
    }

    @Test
    void strictConfigMakesUnknownKeysOneLineAndExitTwo() {
        Object[] r = asMain("-Dcarot.strict-config=true", "-Dcarot.prep.image-szie=64", "-Dcarot.generate.sed=3");
        assertEquals(2, r[0]);
        assertEquals("prepare-data failed: unknown setting carot.generate.sed (command-line -Dcarot.generate.sed); "
                + "did you mean carot.generate.seed?; unknown setting carot.prep.image-szie (command-line "
                + "-Dcarot.prep.image-szie); did you mean carot.prep.image-size? (carot.strict-config = true)\n", r[1]);
    }

    @Test
    void aStrictProfileFileRefusesItsOwnTypo(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("cluster.conf");
        Files.writeString(profile, "carot {\n  strict-config = true\n  prep.jpeg-qualty = 80\n}\n");
        Object[] r = asMain("--config", profile.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).startsWith("prepare-data failed: unknown setting carot.prep.jpeg-qualty ("
                + profile + ": 3); did you mean carot.prep.jpeg-quality?"), (String) r[1]);
    }

    @Test
    void nearestKeyIsByEditDistanceOverTheKnownKeys() {
        UnknownSettings known = UnknownSettings.of(Set.of("carot.train.epochs", "carot.train.workers",
                "carot.eval.batch-size", "carot.model.image-size", "carot.prep.image-size"));
        assertEquals("carot.train.epochs", known.nearest("carot.train.epoch"));
        assertEquals("carot.prep.image-size", known.nearest("carot.prep.image-szie"));
        assertEquals("carot.eval.batch-size", known.nearest("carot.eval.batchsize"));
        assertEquals(3, UnknownSettings.editDistance("kitten", "sitting"));
        assertEquals(0, UnknownSettings.editDistance("", ""));
    }

    @Test
    void optionsOutsideCarotAndSparkAreReportedAndFatalWhenStrict() {
        CarotConfigLoader.load(new String[] {"-Dfoo.bar=1"}); // a warning only
        Object[] r = asMain("-Dcarot.strict-config=true", "-Dfoo.bar=1");
        assertEquals(2, r[0]);
        assertEquals("prepare-data failed: -Dfoo.bar is not read (only carot.* settings and spark.* Spark properties "
                + "are) (carot.strict-config = true)\n", r[1]);
    }

    @Test
    void sparkPropertiesOnTheCommandLineAreForwardedToSparkConf() {
        Config c = CarotConfigLoader.load(new String[] {"-Dcarot.strict-config=true",
                "-Dspark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9", "-Dcarot.s3.endpoint=http://ignored:1",
                "-Dspark.sql.shuffle.partitions=3"});
        SparkConf conf = SparkSessionFactory.sparkConf(c, "t");
        assertEquals("http://127.0.0.1:9", conf.get("spark.hadoop.fs.s3a.endpoint"), "-Dspark.* beats carot.s3");
        assertEquals("3", conf.get("spark.sql.shuffle.partitions"), "and beats reference.conf's 8");
    }

    @Test
    void referenceDefaultsNeverOverrideWhatSparkSubmitSet() {
        // spark-submit --conf reaches the driver as a spark.* system property, which SparkConf loads.
        System.setProperty("spark.sql.shuffle.partitions", "2000");
        System.setProperty("spark.hadoop.fs.s3a.path.style.access", "true");
        try {
            SparkConf conf = SparkSessionFactory.sparkConf(CarotConfigLoader.load(new String[0]), "t");
            assertEquals("2000", conf.get("spark.sql.shuffle.partitions"));
            assertEquals("true", conf.get("spark.hadoop.fs.s3a.path.style.access"));
            SparkConf explicit = SparkSessionFactory.sparkConf(CarotConfigLoader.load(new String[] {
                    "-Dcarot.s3.path-style-access=false"}), "t");
            assertEquals("false", explicit.get("spark.hadoop.fs.s3a.path.style.access"), "a user value wins");
        } finally {
            System.clearProperty("spark.sql.shuffle.partitions");
            System.clearProperty("spark.hadoop.fs.s3a.path.style.access");
        }
    }

    @Test
    void sparkRedactsOurKeyNamesToo() {
        SparkConf conf = SparkSessionFactory.sparkConf(CarotConfigLoader.load(new String[0]), "t");
        String regex = conf.get("spark.redaction.regex");
        for (String s : List.of("-Dcarot.s3.access-key=AKIA", "carot.s3.secret-key", "fs.s3a.access.key",
                "fs.s3a.session.token")) {
            assertTrue(java.util.regex.Pattern.compile(regex).matcher(s).find(), s);
        }
    }

    @Test
    void secretsInAConfigFileAreRefusedWithoutEchoingThem(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("keys.conf");
        Files.writeString(profile, "carot.s3.access-key = \"AKIAFILESECRET\"\n");
        Object[] r = asMain("--config", profile.toString());
        assertEquals(2, r[0]);
        assertEquals("prepare-data failed: carot.s3.access-key is set in the config file " + profile + ": 1: secrets "
                + "are never read from config files; give S3 keys through the environment (AWS_ACCESS_KEY_ID, "
                + "AWS_SECRET_ACCESS_KEY) or the instance profile\n", r[1]);
        assertFalse(((String) r[1]).contains("AKIAFILESECRET"));

        Path sparkKey = dir.resolve("spark-key.conf");
        Files.writeString(sparkKey, "carot.spark.conf { \"spark.hadoop.fs.s3a.secret.key\" = \"s3cr3t\" }\n");
        assertEquals(2, asMain("--config", sparkKey.toString())[0]);
    }

    @Test
    void secretsFromTheEnvironmentOrDAndNonSecretCredentialSettingsInFilesAreFine(@TempDir Path dir)
            throws Exception {
        Path profile = dir.resolve("ok.conf");
        Files.writeString(profile, "carot.s3.access-key = ${?HOME}\ncarot.spark.conf {\n"
                + "  \"spark.hadoop.fs.s3a.aws.credentials.provider\" = \"com.amazonaws.auth.InstanceProfileCredentialsProvider\"\n}\n");
        Config c = CarotConfigLoader.load(new String[] {"--config", profile.toString(),
                "-Dcarot.s3.secret-key=from-the-command-line"});
        assertEquals(System.getenv("HOME"), c.getString("carot.s3.access-key"));
        assertEquals("from-the-command-line", c.getString("carot.s3.secret-key"));
    }
}
