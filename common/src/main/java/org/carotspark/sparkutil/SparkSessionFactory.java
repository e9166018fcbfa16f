package org.carotspark.sparkutil;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Builds the SparkSession every job uses from {@code carot.spark} and {@code carot.s3}.
 *
 * <p>An empty {@code carot.spark.master} leaves the master to spark-submit; {@code bin/carot} and
 * tests set {@code local[N]}. S3 keys are read only from the config values that reference.conf
 * fills from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); when they are empty
 * S3A's own provider chain (instance profile, env, ...) is left to do its job.
 */
public final class SparkSessionFactory {

    private SparkSessionFactory() {
    }

    public static SparkSession create(Config config, String appName) {
        return SparkSession.builder().config(sparkConf(config, appName)).getOrCreate();
    }

    public static SparkConf sparkConf(Config config, String appName) {
        Config spark = config.getConfig("carot.spark");
        SparkConf conf = new SparkConf().setAppName(spark.getString("app-name") + " " + appName);
        String master = spark.getString("master");
        if (!master.isBlank()) {
            conf.setMaster(master);
        }
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : spark.getConfig("conf").entrySet()) {
            conf.set(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
        }
        applyS3a(config.getConfig("carot.s3"), conf);
        return conf;
    }

    private static void applyS3a(Config s3, SparkConf conf) {
        String prefix = "spark.hadoop.fs.s3a.";
        if (!s3.getString("endpoint").isBlank()) {
            conf.set(prefix + "endpoint", s3.getString("endpoint"));
        }
        conf.set(prefix + "path.style.access", String.valueOf(s3.getBoolean("path-style-access")));
        conf.set(prefix + "connection.ssl.enabled", String.valueOf(s3.getBoolean("ssl-enabled")));
        String accessKey = s3.getString("access-key");
        String secretKey = s3.getString("secret-key");
        if (!accessKey.isBlank() && !secretKey.isBlank()) {
            conf.set(prefix + "access.key", accessKey);
            conf.set(prefix + "secret.key", secretKey);
            conf.set(prefix + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        }
    }

    /** Typesafe keys with dots arrive quoted ("spark.ui.enabled"); Spark wants them bare. */
    private static String unquote(String key) {
        return key.replace("\"", "");
    }
}
