package org.carotspark.testing;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests: S3Proxy 2.6.0 with its in-memory ("transient") backend, started as
 * a separate JVM (its classpath clashes with Spark's) on a free loopback port, with signed-request auth and
 * one bucket created up front. Stop it with {@link #close()}.
 *
 * <p>The jar is the {@code jar-with-dependencies} that the module's pom copies to {@code target/s3proxy/};
 * another location can be given with {@code -Dcarot.s3proxy.jar=PATH} or {@link #start(Path, String, Path)}.
 * Use {@link #carotConfig()} (for {@code SparkSessionFactory}) or {@link #hadoopConfiguration()} to talk to it.
 */
public final class S3ProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3ProxyServer.class);

    public static final String IDENTITY = "carot-test-identity";
    public static final String CREDENTIAL = "carot-test-credential";
    private static final long START_TIMEOUT_MS = 60_000;

    private final Process process;
    private final int port;
    private final String bucket;
    private final Path log;
    private final Path jar;
    private final Path workDir;
    private final boolean persistent;

    private S3ProxyServer(Process process, int port, String bucket, Path log, Path jar, Path workDir,
                          boolean persistent) {
        this.process = process;
        this.port = port;
        this.bucket = bucket;
        this.log = log;
        this.jar = jar;
        this.workDir = workDir;
        this.persistent = persistent;
    }

    /** The S3Proxy jar: {@code -Dcarot.s3proxy.jar}, else {@code target/s3proxy/s3proxy-*.jar} of the module. */
    public static Path defaultJar() throws IOException {
        String configured = System.getProperty("carot.s3proxy.jar");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path dir = Paths.get("target", "s3proxy");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> jars = s.filter(p -> p.getFileName().toString().startsWith("s3proxy")
                        && p.toString().endsWith(".jar")).sorted().toList();
                if (!jars.isEmpty()) {
                    return jars.get(0);
                }
            }
        }
        throw new IllegalStateException("S3Proxy jar not found under " + dir.toAbsolutePath()
                + " (run the build through Maven, or set -Dcarot.s3proxy.jar)");
    }

    /** Starts a server with {@code bucket} created, writing its properties and log under {@code workDir}. */
    public static S3ProxyServer start(String bucket, Path workDir) throws IOException, InterruptedException {
        return start(defaultJar(), bucket, workDir);
    }

    public static S3ProxyServer start(Path jar, String bucket, Path workDir) throws IOException, InterruptedException {
        return start(jar, bucket, workDir, freePort(), false);
    }

    /** A server that keeps its objects in files under {@code workDir}, so {@link #restart} brings them back. */
    public static S3ProxyServer startPersistent(String bucket, Path workDir) throws IOException, InterruptedException {
        return start(defaultJar(), bucket, workDir, freePort(), true);
    }

    /** A stopped persistent server up again on the same port with the same objects (an outage that ended). */
    public S3ProxyServer restart() throws IOException, InterruptedException {
        if (!persistent) {
            throw new IllegalStateException("only a persistent server keeps its objects over a restart");
        }
        close();
        return start(jar, bucket, workDir, port, true);
    }

    /** Where a persistent server keeps the object {@code key} of its bucket. */
    public Path objectFile(String key) {
        return workDir.resolve("objects").resolve(bucket).resolve(key);
    }

    private static S3ProxyServer start(Path jar, String bucket, Path workDir, int port, boolean persistent)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar not found: " + jar.toAbsolutePath());
        }
        Files.createDirectories(workDir);
        Path objects = Files.createDirectories(workDir.resolve("objects"));
        boolean bucketExists = Files.isDirectory(objects.resolve(bucket));
        String endpoint = "http://127.0.0.1:" + port;
        Path props = workDir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                persistent ? "jclouds.provider=filesystem" : "jclouds.provider=transient",
                "jclouds.filesystem.basedir=" + objects.toAbsolutePath(),
                "jclouds.identity=" + IDENTITY,
                "jclouds.credential=" + CREDENTIAL,
                "jclouds.regions=us-east-1",
                ""), StandardCharsets.UTF_8);
        Path log = workDir.resolve("s3proxy.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", jar.toAbsolutePath().toString(),
                "org.gaul.s3proxy.Main", "--properties", props.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        S3ProxyServer server = new S3ProxyServer(p, port, bucket, log, jar, workDir, persistent);
        try {
            server.awaitReady();
            if (!(persistent && bucketExists)) {
                server.createBucket();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("S3Proxy up at {} with bucket {}", endpoint, bucket);
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Polls until the server answers HTTP at all (any status, e.g. 403 for an unsigned request). */
    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) new URL(endpoint() + "/").openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(1000);
                int code = c.getResponseCode();
                c.disconnect();
                if (code > 0) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("S3Proxy did not answer within " + START_TIMEOUT_MS + " ms: " + logTail());
    }

    /** Creates the bucket with a signed request (S3Proxy refuses anonymous ones). */
    private void createBucket() {
        AmazonS3 s3 = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(IDENTITY, CREDENTIAL)))
                .build();
        try {
            s3.createBucket(bucket);
        } finally {
            s3.shutdown();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String bucket() {
        return bucket;
    }

    /** {@code s3a://<bucket>/<key>}. */
    public String uri(String key) {
        return "s3a://" + bucket + "/" + key;
    }

    /** The {@code fs.s3a.*} settings that reach this server. */
    public Map<String, String> hadoopSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", endpoint());
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.access.key", IDENTITY);
        m.put("fs.s3a.secret.key", CREDENTIAL);
        m.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        m.put("fs.s3a.endpoint.region", "us-east-1");
        return m;
    }

    public Configuration hadoopConfiguration() {
        Configuration c = new Configuration();
        hadoopSettings().forEach(c::set);
        return c;
    }

    /** {@code carot.s3.*} overrides for {@code SparkSessionFactory} (a test may hold the keys in config). */
    public Map<String, Object> carotConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("carot.s3.endpoint", endpoint());
        m.put("carot.s3.path-style-access", true);
        m.put("carot.s3.ssl-enabled", false);
        m.put("carot.s3.access-key", IDENTITY);
        m.put("carot.s3.secret-key", CREDENTIAL);
        return m;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
