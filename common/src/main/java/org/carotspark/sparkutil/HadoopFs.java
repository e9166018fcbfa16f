package org.carotspark.sparkutil;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.Tuple2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.UUID;

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

    /**
     * Replaces a small file so that a reader sees either the old or the new content, never a mix, a missing file
     * or a checksum error, and a kill at any moment leaves one of the two in place:
     * <ul>
     *   <li>object stores (s3a, gs, ...): one PUT of the whole object, atomic by the store's contract;</li>
     *   <li>local files: a temporary file in the same directory, then an atomic {@code rename(2)} over the target.
     *       Written without Hadoop's {@code .crc} companion: replacing the file and its checksum is two renames,
     *       and a reader between them (or after a kill) would fail the checksum;</li>
     *   <li>HDFS and others: a temporary file, then {@link FileContext#rename} with OVERWRITE (atomic on HDFS).</li>
     * </ul>
     */
    public static void replaceAtomically(Path target, String text, Configuration conf) throws IOException {
        FileSystem fs = target.getFileSystem(conf);
        String scheme = fs.getUri().getScheme();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (OBJECT_STORE_SCHEMES.contains(scheme)) {
            try (var out = fs.create(target, true)) {
                out.write(bytes);
            }
            return;
        }
        String tmpName = "." + target.getName() + ".tmp-" + UUID.randomUUID();
        if ("file".equals(scheme)) {
            java.nio.file.Path local = Paths.get(fs.makeQualified(target).toUri().getPath());
            java.nio.file.Path tmp = local.resolveSibling(tmpName);
            Files.write(tmp, bytes);
            // A .crc left by an older writer would no longer match the new content.
            Files.deleteIfExists(local.resolveSibling("." + local.getFileName() + ".crc"));
            Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Path tmp = new Path(target.getParent(), tmpName);
        try (var out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        FileContext.getFileContext(fs.getUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
    }

    /**
     * A SHA-256 over what is at {@code location}: a file's bytes, or every file under a directory (relative names and
     * bytes, in name order; Hadoop's {@code .crc} files passed over). An identity of the content that does not change
     * when the files are moved; blank gives "".
     */
    public static String contentSha256(String location, Configuration conf) throws IOException {
        if (location == null || location.isBlank()) {
            return "";
        }
        Path root = qualify(location.strip(), conf);
        FileSystem fs = root.getFileSystem(conf);
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        java.util.TreeMap<String, Path> files = new java.util.TreeMap<>();
        if (fs.getFileStatus(root).isDirectory()) {
            var it = fs.listFiles(root, true);
            String prefix = root.toUri().getPath();
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (!p.getName().endsWith(".crc")) {
                    files.put(p.toUri().getPath().substring(prefix.length()), p);
                }
            }
        } else {
            files.put("", root);
        }
        byte[] buf = new byte[1 << 16];
        for (var e : files.entrySet()) {
            sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = fs.open(e.getValue())) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
        }
        return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
    }

    /** Stores where a PUT replaces an object atomically and rename is a copy. */
    private static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs");
}
