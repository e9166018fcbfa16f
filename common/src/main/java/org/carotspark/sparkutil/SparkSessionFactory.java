package org.carotspark.sparkutil;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.ConfigRedaction;

import java.util.Map;

/**
 * Builds the SparkSession every job uses from {@code carot.spark} and {@code carot.s3}.
 *
 * <p>Precedence, highest first: {@code carot.spark.conf} entries given by the user (profile or {@code -Dspark.*},
 * which the config loader forwards there), {@code carot.s3} values given by the user, then spark-submit's
 * {@code --conf} and spark-defaults, then the defaults of {@code carot.spark} and {@code carot.s3} in
 * reference.conf (which never override what spark-submit set).
 *
 * <p>An empty {@code carot.spark.master} leaves the master to spark-submit; {@code bin/carot} and
 * tests set {@code local[N]}. S3 keys come from the config values that reference.conf fills from the
 * environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or from {@code -D} (config files are refused by the
 * loader); when they are empty S3A's own provider chain (instance profile, env, ...) is left to do its job.
 */
public final class SparkSessionFactory {

    private static final String REFERENCE_CONF = "reference.conf";
    private static final String REDACTION_REGEX = "spark.redaction.regex";
    /**
     * What Spark masks in its UI, logs and event log: a property whose key or value matches is replaced whole.
     * Spark's default ({@code (?i)secret|password|token|access[.]key}) misses {@code carot.s3.access-key}, so a key
     * given as {@code -Dcarot.s3.access-key=...} reached the event log inside {@code sun.java.command}.
     */
    static final String SECRET_REDACTION = "(?i)secret|password|token|access[.-]?key|credential";

    private SparkSessionFactory() {
    }

    public static SparkSession create(Config config, String appName) {
        ConfigRedaction.redactThisJvmsCommandLine();
        return SparkSession.builder().config(sparkConf(config, appName)).getOrCreate();
    }

    public static SparkConf sparkConf(Config config, String appName) {
        Config spark = config.getConfig("carot.spark");
        SparkConf conf = new SparkConf().setAppName(spark.getString("app-name") + " " + appName);
        String master = spark.getString("master");
        if (!master.isBlank()) {
            conf.setMaster(master);
        }
        applyS3a(config.getConfig("carot.s3"), conf);
        for (Map.Entry<String, ConfigValue> e : spark.getConfig("conf").entrySet()) {
            put(conf, unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()), e.getValue().origin());
        }
        String userRedaction = conf.get(REDACTION_REGEX, null);
        conf.set(REDACTION_REGEX, userRedaction == null ? SECRET_REDACTION : "(?:" + userRedaction + ")|(?:"
                + SECRET_REDACTION + ")");
        return conf;
    }

    private static boolean isReferenceDefault(ConfigOrigin origin) {
        return REFERENCE_CONF.equals(origin.resource())
                || (origin.url() != null && origin.url().getPath().endsWith("/" + REFERENCE_CONF));
    }

    private static void applyS3a(Config s3, SparkConf conf) {
        String prefix = "spark.hadoop.fs.s3a.";
        if (!s3.getString("endpoint").isBlank()) {
            conf.set(prefix + "endpoint", s3.getString("endpoint"));
        }
        put(conf, prefix + "path.style.access", String.valueOf(s3.getBoolean("path-style-access")),
                s3.getValue("path-style-access").origin());
        put(conf, prefix + "connection.ssl.enabled", String.valueOf(s3.getBoolean("ssl-enabled")),
                s3.getValue("ssl-enabled").origin());
        String accessKey = s3.getString("access-key");
        String secretKey = s3.getString("secret-key");
        if (!accessKey.isBlank() && !secretKey.isBlank()) {
            conf.set(prefix + "access.key", accessKey);
            conf.set(prefix + "secret.key", secretKey);
            conf.set(prefix + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        }
    }

    /** A value the user gave wins; a reference.conf default only fills what spark-submit left unset. */
    private static void put(SparkConf conf, String key, String value, ConfigOrigin origin) {
        if (isReferenceDefault(origin)) {
            conf.setIfMissing(key, value);
        } else {
            conf.set(key, value);
        }
    }

    /** Typesafe keys with dots arrive quoted ("spark.ui.enabled"); Spark wants them bare. */
    private static String unquote(String key) {
        return key.replace("\"", "");
    }
}
