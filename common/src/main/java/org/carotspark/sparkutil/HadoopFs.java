package org.carotspark.sparkutil;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.Tuple2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Opens paths given as plain local paths, {@code file://}, {@code hdfs://} or {@code s3a://} URIs through
 * Hadoop's {@link FileSystem}, with the same S3A settings the SparkSession gets.
 */
public final class HadoopFs {

    private static final String SPARK_HADOOP_PREFIX = "spark.hadoop.";

    private HadoopFs() {
    }

    /**
     * The Hadoop configuration to use on the driver: the active SparkSession's when there is one, else one
     * built from {@code carot.spark.conf} / {@code carot.s3} exactly as {@link SparkSessionFactory} would.
     */
    public static Configuration configuration(Config config) {
        Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return new Configuration(active.get().sparkContext().hadoopConfiguration());
        }
        Configuration conf = new Configuration();
        SparkConf sparkConf = SparkSessionFactory.sparkConf(config, "");
        for (Tuple2<String, String> e : sparkConf.getAll()) {
            if (e._1().startsWith(SPARK_HADOOP_PREFIX)) {
                conf.set(e._1().substring(SPARK_HADOOP_PREFIX.length()), e._2());
            }
        }
        return conf;
    }

    /** The fully qualified form of a path ({@code file:/tmp/x}, {@code s3a://bucket/key}). */
    public static Path qualify(String pathOrUri, Configuration conf) throws IOException {
        Path p = new Path(pathOrUri);
        return p.getFileSystem(conf).makeQualified(p);
    }

    public static byte[] readAllBytes(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    public static String readString(Path path, Configuration conf) throws IOException {
        return new String(readAllBytes(path, conf), StandardCharsets.UTF_8);
    }

    public static boolean exists(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    public static void writeString(Path path, String text, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (var out = fs.create(path, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
