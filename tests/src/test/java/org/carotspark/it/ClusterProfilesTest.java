package org.carotspark.it;

import com.typesafe.config.Config;
import org.apache.spark.SparkConf;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.carotspark.it.Commands.CONF;
import static org.carotspark.it.Commands.DEPLOY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the cluster profiles make Spark ask for: one GPU per executor and per task only where the
 * profile says so, memory settings that keep ND4J's off-heap arrays inside the YARN container, and
 * data paths that mean the same in every JVM of a cluster.
 */
class ClusterProfilesTest {

    static final List<String> GPU_PROFILES = List.of("emr.conf", "dataproc.conf");

    static SparkConf sparkConf(String profile) {
        Config config = CarotConfigLoader.load(new String[] {CONF.resolve(profile).toString()});
        return SparkSessionFactory.sparkConf(config, "test");
    }

    @Test
    void gpuProfilesGiveEachExecutorAndTaskOneGpuFoundByTheInstalledScript() throws Exception {
        String installed = DeployScriptsTest.nodeSetup("emr", true).stream()
                .filter(l -> l.startsWith("chmod 755 ")).findFirst().orElseThrow().substring("chmod 755 ".length());
        for (String profile : GPU_PROFILES) {
            SparkConf c = sparkConf(profile);
            assertEquals("1", c.get("spark.executor.resource.gpu.amount"), profile);
            assertEquals("1", c.get("spark.task.resource.gpu.amount"), profile);
            assertEquals(installed, c.get("spark.executor.resource.gpu.discoveryScript"), profile);
            assertEquals("org.apache.spark.serializer.KryoSerializer", c.get("spark.serializer"), profile);
            assertEquals("false", c.get("spark.dynamicAllocation.enabled"), profile);
            // One executor per worker, as many as the global batch of 512 needs for a per-GPU batch that fits the
            // profile's GPU (docs/DEPLOY.md, "Per-GPU batch"): 32 pairs on EMR's A10G, 64 on Dataproc's A100 40GB.
            int perGpu = profile.equals("emr.conf") ? 32 : 64;
            assertEquals(String.valueOf(512 / perGpu), c.get("spark.executor.instances"), profile + ": one executor per worker");
        }
    }

    @Test
    void theBuiltInProfileAsksForNoGpu() {
        SparkConf c = sparkConf("local.conf");
        assertFalse(c.contains("spark.executor.resource.gpu.amount"));
        assertFalse(c.contains("spark.task.resource.gpu.amount"));
    }

    @Test
    void nd4jOffHeapCapsFitTheYarnContainers() throws Exception {
        for (String profile : GPU_PROFILES) {
            SparkConf c = sparkConf(profile);
            checkContainer(profile + " executor", c.get("spark.executor.memory"), c.get("spark.executor.memoryOverhead"),
                    c.get("spark.executor.extraJavaOptions"), 4);
        }
        Map<String, String> driver = new HashMap<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("submit.properties"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                driver.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        checkContainer("driver", driver.get("spark.driver.memory"), driver.get("spark.driver.memoryOverhead"),
                driver.get("spark.driver.extraJavaOptions"), 2);
    }

    /** The container is heap + overhead; ND4J's cap plus the JVM's own native memory must fit the overhead. */
    private static void checkContainer(String what, String heap, String overhead, String javaOptions, long nativeGiB) {
        long maxBytes = gib(option(javaOptions, "org.bytedeco.javacpp.maxbytes"));
        long maxPhysical = gib(option(javaOptions, "org.bytedeco.javacpp.maxphysicalbytes"));
        long container = gib(heap) + gib(overhead);
        assertTrue(maxBytes + nativeGiB <= gib(overhead), what + ": overhead " + overhead + " must hold maxbytes "
                + maxBytes + "g + " + nativeGiB + "g");
        assertTrue(maxPhysical < container, what + ": maxphysicalbytes " + maxPhysical + "g must stay below the "
                + container + "g container");
        assertTrue(maxPhysical >= gib(heap) + maxBytes, what + ": maxphysicalbytes must leave room for heap + maxbytes");
    }

    private static String option(String javaOptions, String property) {
        Matcher m = Pattern.compile("-D" + Pattern.quote(property) + "=(\\S+)").matcher(javaOptions);
        assertTrue(m.find(), property + " in " + javaOptions);
        return m.group(1);
    }

    private static long gib(String size) {
        assertTrue(size.matches("\\d+g"), "sizes here are whole GiB: " + size);
        return Long.parseLong(size.substring(0, size.length() - 1));
    }

    @Test
    void clusterProfilesUseAbsoluteUrisForEveryPath() {
        for (String profile : GPU_PROFILES) {
            Config c = CarotConfigLoader.load(new String[] {CONF.resolve(profile).toString()});
            List<String> paths = new java.util.ArrayList<>(List.of("carot.data.raw-root", "carot.data.parquet-root",
                    "carot.output-dir", "carot.train.checkpoint-dir"));
            c.getConfig("carot.data.metadata").entrySet().forEach(e -> paths.add("carot.data.metadata." + e.getKey()));
            c.getConfig("carot.data.splits").entrySet().forEach(e -> paths.add("carot.data.splits." + e.getKey()));
            for (String path : paths) {
                String value = c.getString(path);
                // A relative path would mean a different directory in each JVM of the cluster; "" means "none".
                assertTrue(value.isEmpty() || value.startsWith("/") || value.contains("://"),
                        profile + ": " + path + " = " + value);
            }
        }
    }
}
