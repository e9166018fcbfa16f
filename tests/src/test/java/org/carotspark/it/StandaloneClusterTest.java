package org.carotspark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.synth.GenerateStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.carotspark.it.Commands.CONF;
import static org.carotspark.it.Commands.DEPLOY;
import static org.carotspark.it.Commands.JOB_JAR;
import static org.carotspark.it.Commands.JOB_TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Spark standalone cluster on 127.0.0.1 (a master and two workers, each its own JVM, from the
 * Spark jars the job module builds against), and {@code deploy/spark-submit.sh} itself submitting the
 * job jar to it in client mode, through Spark's own launcher, with a profile that includes the
 * cluster settings every deploy path uses (conf/spark-cluster.conf: Kryo, ND4J caps), scaled down.
 * Prep and training run on the cluster; the same training through the same script in local[2] must
 * give the same report, and both executor JVMs must have trained.
 */
class StandaloneClusterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** What the cluster run overrides of conf/spark-cluster.conf: sizes for 1-core, 1.5 GB workers. */
    static final List<String> SMALL_EXECUTORS = List.of(
            "-Dcarot.spark.conf.\"spark.executor.memory\"=1g",
            "-Dcarot.spark.conf.\"spark.executor.cores\"=1",
            "-Dcarot.spark.conf.\"spark.executor.extraJavaOptions\"=-Dorg.bytedeco.javacpp.maxbytes=1g "
                    + "-Dorg.bytedeco.javacpp.maxphysicalbytes=2500m");

    static final java.util.regex.Pattern APPLICATION_ONLY = java.util.regex.Pattern.compile(
            "/(org/nd4j|org/deeplearning4j|org/datavec|org/bytedeco|com/typesafe/config)/");

    @TempDir
    static Path dir;
    static Path sparkHome;
    static String masterUrl;
    static final List<Process> daemons = new ArrayList<>();

    @BeforeAll
    static void startClusterAndGenerateData() throws Exception {
        Commands.assumeJobJarBuilt();
        sparkHome = standInSparkHome(Files.readString(JOB_TARGET.resolve("spark-classpath.txt")).trim());

        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        Path master = daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()));
        awaitLog(master, "I have been elected leader", 1);
        for (int i = 1; i <= 2; i++) {
            daemon("worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1536m", "--work-dir", dir.resolve("work" + i).toString(),
                    "--webui-port", String.valueOf(freePort()), masterUrl);
        }
        awaitLog(master, "Registering worker", 2);

        GenerateStage.run(EndToEndTest.configFor(dir));
        Path profiles = Files.createDirectories(dir.resolve("profile"));
        Files.copy(CONF.resolve("spark-cluster.conf"), profiles.resolve("spark-cluster.conf"));
        Files.writeString(profiles.resolve("cluster-test.conf"), """
                include required("spark-cluster.conf")
                carot.train.workers = 2
                carot.methods = [zeroshot, carot]
                """);
        // The driver settings of deploy/submit.properties, same keys, sized for this machine.
        Map<String, String> submit = new HashMap<>(Map.of("spark.driver.memory", "1500m",
                "spark.driver.memoryOverhead", "1g",
                "spark.driver.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=3g"));
        Set<String> deployKeys = new TreeSet<>();
        Files.readAllLines(DEPLOY.resolve("submit.properties")).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> deployKeys.add(l.substring(0, l.indexOf('='))));
        assertEquals(deployKeys, new TreeSet<>(submit.keySet()), "the test sizes every setting of submit.properties");
        StringBuilder props = new StringBuilder();
        submit.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("submit.properties"), props);
    }

    /**
     * A Spark home whose jars/ is the launcher classpath without what only the job jar brings (DL4J,
     * ND4J, JavaCPP, Typesafe Config): on the cluster those come from the job jar alone, as they would
     * on EMR or Dataproc. Plus the spark-submit stand-in.
     */
    static Path standInSparkHome(String launcherClasspath) throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : launcherClasspath.split(":")) {
            if (!APPLICATION_ONLY.matcher(jar).find()) {
                Files.createSymbolicLink(jars.resolve(Path.of(jar).getFileName()), Path.of(jar));
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark stand-in for StandaloneClusterTest\n");
        Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.copy(Path.of("src/test/resources/spark-home/bin/spark-submit"), submit, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    static Path daemon(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // As sbin/start-*.sh would, through load-spark-env.sh; workers build executor commands from it.
        pb.environment().putAll(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
                "SPARK_SCALA_VERSION", "2.12"));
        daemons.add(pb.start());
        return log;
    }

    static void awaitLog(Path log, String line, int times) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().filter(l -> l.contains(line)).count() >= times) {
                return;
            }
            assertTrue(daemons.stream().allMatch(Process::isAlive), "a cluster daemon died: " + Files.readString(log));
            Thread.sleep(250);
        }
        throw new AssertionError("'" + line + "' x" + times + " not in " + log + ":\n" + Files.readString(log));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    static void stopCluster() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
    }

    /** deploy/spark-submit.sh in client mode, as a user runs it, with the stand-in spark-submit. */
    static Commands.Result submit(String master, String mainClass, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DEPLOY.resolve("spark-submit.sh").toString(),
                dir.resolve("profile/cluster-test.conf").toString()));
        EndToEndTest.tinyOverrides(dir).stream()
                .filter(a -> !a.startsWith("-Dcarot.spark.master=") && !a.startsWith("-Dcarot.output-dir=")
                        && !a.startsWith("-Dcarot.methods="))
                .forEach(cmd::add);
        cmd.addAll(SMALL_EXECUTORS);
        cmd.addAll(List.of(extraArgs));
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
                "SPARK_SUBMIT", sparkHome.resolve("bin/spark-submit").toString(), "SPARK_MASTER", master,
                "DEPLOY_MODE", "client", "CAROT_CLASS", mainClass, "CAROT_JAR", JOB_JAR.toString(),
                "CAROT_SUBMIT_PROPERTIES", dir.resolve("submit.properties").toString());
        Commands.Result r = Commands.run(dir, env, Duration.ofMinutes(8), cmd);
        assertEquals(0, r.exitCode(), mainClass + " on " + master + ": " + r);
        return r;
    }

    private static boolean prepared;

    /** Prep on the cluster, once for the tests of this class. */
    static synchronized void prepareOnTheCluster() throws Exception {
        if (!prepared) {
            submit(masterUrl, "PrepareDataJob");
            assertTrue(Files.exists(dir.resolve("parquet/manifest.json")));
            prepared = true;
        }
    }

    @Test
    void twoExecutorJvmsTrainAndTheReportEqualsTheLocalRuns() throws Exception {
        long start = System.nanoTime();
        Path events = Files.createDirectories(dir.resolve("events"));
        prepareOnTheCluster();
        long prepped = System.nanoTime();

        submit(masterUrl, "FineTuneJob", "-Dcarot.output-dir=" + dir.resolve("run-cluster"),
                "-Dcarot.spark.conf.\"spark.eventLog.enabled\"=true",
                "-Dcarot.spark.conf.\"spark.eventLog.dir\"=" + events.toUri());
        long clusterTrained = System.nanoTime();
        Commands.Result local = submit("local[2]", "FineTuneJob", "-Dcarot.output-dir=" + dir.resolve("run-local"));
        long localTrained = System.nanoTime();
        assertTrue(local.stdout().contains("| carot |"), local.stdout());

        JsonNode clusterReport = JSON.readTree(dir.resolve("run-cluster/report.json").toFile()).get("results");
        JsonNode localReport = JSON.readTree(dir.resolve("run-local/report.json").toFile()).get("results");
        long splitRows = java.util.stream.StreamSupport.stream(clusterReport.spliterator(), false)
                .filter(r -> r.path("corruption").isNull() || r.path("corruption").isMissingNode()).count();
        assertEquals(16, splitRows, "2 methods x (7 splits + ood-avg), beside IN-C's per-corruption rows");
        assertEquals(localReport, clusterReport, "the cluster run's numbers are the local[2] run's");

        List<JsonNode> log;
        try (Stream<Path> files = Files.list(events)) {
            Path eventLog = files.filter(p -> p.getFileName().toString().startsWith("app-")).findFirst().orElseThrow();
            log = Files.readAllLines(eventLog).stream().map(StandaloneClusterTest::parse).toList();
        }
        Set<String> executors = new TreeSet<>();
        Map<Integer, String> stageNames = new HashMap<>();
        Set<String> trainedOn = new TreeSet<>();
        for (JsonNode e : log) {
            switch (e.get("Event").asText()) {
                case "SparkListenerExecutorAdded" -> executors.add(e.get("Executor ID").asText());
                case "SparkListenerStageSubmitted" -> stageNames.put(e.get("Stage Info").get("Stage ID").asInt(),
                        e.get("Stage Info").get("Stage Name").asText());
                case "SparkListenerEnvironmentUpdate" -> assertEquals("org.apache.spark.serializer.KryoSerializer",
                        e.get("Spark Properties").get("spark.serializer").asText(), "Kryo from conf/spark-cluster.conf");
                case "SparkListenerTaskEnd" -> {
                    // The parameter-averaging rounds' tasks (the WorkerRound tasks, summed by PairwiseSum).
                    if (stageNames.getOrDefault(e.get("Stage ID").asInt(), "").contains("at PairwiseSum")) {
                        trainedOn.add(e.get("Task Info").get("Executor ID").asText());
                    }
                }
                default -> { }
            }
        }
        assertEquals(Set.of("0", "1"), executors, "two executor JVMs");
        assertEquals(Set.of("0", "1"), trainedOn, "both ran training tasks; stages: " + new TreeSet<>(stageNames.values()));

        // Each executor JVM was started with the profile's ND4J caps (the worker logs the command).
        try (Stream<Path> stderr = Stream.of(dir.resolve("work1"), dir.resolve("work2")).flatMap(StandaloneClusterTest::walk)
                .filter(p -> p.getFileName().toString().equals("stderr"))) {
            List<String> commands = stderr.flatMap(StandaloneClusterTest::lines)
                    .filter(l -> l.contains("Spark Executor Command")).toList();
            assertFalse(commands.isEmpty());
            commands.forEach(c -> assertTrue(c.contains("-Dorg.bytedeco.javacpp.maxbytes=1g") && c.contains("-Xmx1024M"), c));
        }
        System.err.printf("StandaloneClusterTest: prep on the cluster %.0f s, training on the cluster %.0f s, "
                        + "in local[2] %.0f s%n", (prepped - start) / 1e9, (clusterTrained - prepped) / 1e9,
                (localTrained - clusterTrained) / 1e9);
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("event log line: " + line, e);
        }
    }

    static Stream<Path> walk(Path p) {
        try {
            return Files.walk(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<String> lines(Path p) {
        try {
            return Files.readAllLines(p).stream();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Collective mode on the two executor JVMs, one of them killed (SIGKILL) as soon as its rank has joined the
     * first segment: Spark re-runs the barrier stage on the executor the cluster starts in its place, and the run
     * ends with the report of the same training in local[2], where nothing failed.
     */
    @Test
    void collectiveModeSurvivesAnExecutorKilledMidSegment() throws Exception {
        prepareOnTheCluster();
        Path events = Files.createDirectories(dir.resolve("events-collective"));
        // One trained method (CaRot: the EMA teacher's targets go through the all-gather too) keeps the two runs short.
        List<String> collective = List.of("-Dcarot.train.mode=collective", "-Dcarot.train.checkpoint-every-steps=0",
                "-Dcarot.methods=[carot]");
        Thread killer = new Thread(StandaloneClusterTest::killAnExecutorOnceItsRankJoined, "executor-killer");
        killer.setDaemon(true);
        killer.start();
        List<String> clusterArgs = new ArrayList<>(collective);
        clusterArgs.addAll(List.of("-Dcarot.output-dir=" + dir.resolve("run-collective-cluster"),
                "-Dcarot.spark.conf.\"spark.eventLog.enabled\"=true",
                "-Dcarot.spark.conf.\"spark.eventLog.dir\"=" + events.toUri()));
        submit(masterUrl, "FineTuneJob", clusterArgs.toArray(new String[0]));
        killer.join(1000);
        assertTrue(killed != null, "no executor was killed: no rank ever joined a segment");
        List<String> localArgs = new ArrayList<>(collective);
        localArgs.add("-Dcarot.output-dir=" + dir.resolve("run-collective-local"));
        submit("local[2]", "FineTuneJob", localArgs.toArray(new String[0]));

        JsonNode cluster = JSON.readTree(dir.resolve("run-collective-cluster/report.json").toFile()).get("results");
        JsonNode local = JSON.readTree(dir.resolve("run-collective-local/report.json").toFile()).get("results");
        assertEquals(local, cluster, "the run that lost an executor ends with the uninterrupted run's numbers");

        int retriedBarrierStages = 0;
        Set<String> executors = new TreeSet<>();
        try (Stream<Path> files = Files.list(events)) {
            Path eventLog = files.filter(p -> p.getFileName().toString().startsWith("app-")).findFirst().orElseThrow();
            for (JsonNode e : Files.readAllLines(eventLog).stream().map(StandaloneClusterTest::parse).toList()) {
                String event = e.get("Event").asText();
                if (event.equals("SparkListenerExecutorAdded")) {
                    executors.add(e.get("Executor ID").asText());
                } else if (event.equals("SparkListenerStageSubmitted")
                        && e.get("Stage Info").get("Stage Name").asText().contains("CollectiveSteps")
                        && e.get("Stage Info").get("Stage Attempt ID").asInt() > 0) {
                    retriedBarrierStages++;
                }
            }
        }
        assertTrue(executors.size() >= 3, "the killed executor was replaced: " + executors);
        assertTrue(retriedBarrierStages >= 1, "a segment's barrier stage ran again after the kill");
    }

    private static volatile ProcessHandle killed;

    /** Waits for an executor's rank to join the collective (XGBoost logs "got rank"), then kills that JVM. */
    private static void killAnExecutorOnceItsRankJoined() {
        long deadline = System.currentTimeMillis() + 300_000;
        try {
            while (System.currentTimeMillis() < deadline) {
                for (int worker = 1; worker <= 2; worker++) {
                    boolean joined;
                    try (Stream<Path> files = walk(dir.resolve("work" + worker))) {
                        joined = files.filter(p -> Set.of("stdout", "stderr").contains(p.getFileName().toString()))
                                .flatMap(StandaloneClusterTest::lines).anyMatch(l -> l.contains("got rank"));
                    }
                    if (joined) {
                        ProcessHandle executor = daemons.get(worker).descendants()
                                .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                                .findFirst().orElse(null);
                        if (executor != null && executor.destroyForcibly()) {
                            killed = executor;
                            return;
                        }
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
