package org.carotspark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.carotspark.it.Commands.CONF;
import static org.carotspark.it.Commands.DEPLOY;
import static org.carotspark.it.Commands.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every deploy script with {@code --dry-run}, checked for the command it would run; the EMR steps and
 * the Airflow DAGs checked against the same sources (the profile's include closure,
 * deploy/submit.properties), the DAGs imported against stand-ins with the real operators' argument
 * names, and the EMR requests against botocore's own request shapes where botocore is installed.
 */
class DeployScriptsTest {

    static final List<String> EMR_PROFILE_FILES = List.of("emr.conf", "imagenet-paths.conf", "spark-cluster.conf",
            "gpu-executors.conf");
    static final List<String> DRIVER_SETTINGS = List.of("spark.driver.memory=16g", "spark.driver.memoryOverhead=10g",
            "spark.driver.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=25g");
    static final ObjectMapper JSON = new ObjectMapper();

    static Commands.Result script(Map<String, String> env, String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DEPLOY.resolve(script).toString()));
        command.addAll(List.of(args));
        return Commands.run(ROOT, env, Duration.ofMinutes(1), command);
    }

    static List<String> dryRun(Map<String, String> env, String script, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--dry-run"));
        all.addAll(List.of(args));
        Commands.Result r = script(env, script, all.toArray(new String[0]));
        assertEquals(0, r.exitCode(), script + ": " + r);
        return r.lines();
    }

    static List<String> nodeSetup(String platform, boolean gpu) throws Exception {
        return dryRun(Map.of("CAROT_NODE_PLATFORM", platform, "CAROT_NODE_HAS_GPU", String.valueOf(gpu)),
                "gpu/node-setup.sh", "s3://b/carot/deploy");
    }

    static List<String> driverConfArgs() {
        List<String> out = new ArrayList<>();
        DRIVER_SETTINGS.forEach(s -> out.addAll(List.of("--conf", s)));
        return out;
    }

    static List<String> conf(List<String> names, String prefix) {
        return names.stream().map(n -> prefix + n).toList();
    }

    @Test
    void sparkSubmitInClusterModeShipsTheProfileWithItsIncludesAndTheDriverSettings() throws Exception {
        List<String> cmd = dryRun(Map.of("CAROT_JAR", "/jars/job.jar"), "spark-submit.sh", "conf/emr.conf", "-Dcarot.x=1");
        List<String> expected = new ArrayList<>(List.of("spark-submit", "--class", "FineTuneJob", "--master", "yarn",
                "--deploy-mode", "cluster"));
        expected.addAll(driverConfArgs());
        expected.addAll(List.of("--files", String.join(",", conf(EMR_PROFILE_FILES, "conf/")), "/jars/job.jar",
                "emr.conf", "-Dcarot.x=1"));
        assertEquals(expected, cmd);
        assertFalse(cmd.stream().anyMatch(w -> w.contains("resource.gpu")), "GPUs come from the profile alone");
    }

    @Test
    void sparkSubmitInClientModeGivesTheDriverThePathOfTheProfile() throws Exception {
        List<String> cmd = dryRun(Map.of("DEPLOY_MODE", "client", "SPARK_MASTER", "spark://h:7077",
                "CAROT_CLASS", "PrepareDataJob", "CAROT_JAR", "/j.jar"), "spark-submit.sh", "conf/local.conf");
        List<String> expected = new ArrayList<>(List.of("spark-submit", "--class", "PrepareDataJob", "--master",
                "spark://h:7077", "--deploy-mode", "client"));
        expected.addAll(driverConfArgs());
        expected.addAll(List.of("/j.jar", CONF.resolve("local.conf").toString()));
        assertEquals(expected, cmd);
    }

    @Test
    void aProfileThatAsksForGpusGetsTheCudaJar() throws Exception {
        List<String> gpu = dryRun(Map.of(), "spark-submit.sh", "conf/emr.conf");
        assertEquals(ROOT.resolve("spark-job/target/carot-spark-job-cuda.jar").toString(), gpu.get(gpu.size() - 2));
        List<String> cpu = dryRun(Map.of("DEPLOY_MODE", "client"), "spark-submit.sh", "conf/local.conf");
        assertEquals(ROOT.resolve("spark-job/target/carot-spark-job.jar").toString(), cpu.get(cpu.size() - 2));
    }

    @Test
    void sparkSubmitRefusesWhatCannotWorkInOneLine(@TempDir Path dir) throws Exception {
        Commands.Result standaloneCluster = script(Map.of("SPARK_MASTER", "spark://h:7077"), "spark-submit.sh",
                "--dry-run", "conf/emr.conf");
        assertEquals(2, standaloneCluster.exitCode());
        assertTrue(standaloneCluster.stderr().contains("DEPLOY_MODE=client"), standaloneCluster.stderr());

        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/x.conf"), "carot.methods = [flyp]\n");
        Files.writeString(dir.resolve("p.conf"), "include required(\"sub/x.conf\")\n");
        Commands.Result nested = script(Map.of(), "spark-submit.sh", "--dry-run", dir.resolve("p.conf").toString());
        assertEquals(2, nested.exitCode());
        assertEquals(1, nested.stderr().lines().count(), nested.stderr());
        assertTrue(nested.stderr().contains("keep included files beside the profile"), nested.stderr());

        Commands.Result missing = script(Map.of(), "spark-submit.sh", "--dry-run", "conf/nope.conf");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("profile not found: conf/nope.conf"), missing.stderr());
    }

    @Test
    void emrStepsRunWhatSparkSubmitShRunsInClusterModeOnEmr() throws Exception {
        JsonNode steps = JSON.readTree(DEPLOY.resolve("emr/steps.json").toFile());
        assertEquals(2, steps.size());
        String prefix = "s3://YOUR-BUCKET/carot/";
        for (JsonNode step : steps) {
            String mainClass = step.get("Name").asText().replace("CaRot ", "");
            List<String> viaScript = new ArrayList<>(dryRun(Map.of("CAROT_CLASS", mainClass,
                    "CAROT_JAR", prefix + "carot-spark-job-cuda.jar"), "spark-submit.sh", "conf/emr.conf"));
            int files = viaScript.indexOf("--files");
            viaScript.set(files + 1, String.join(",", conf(EMR_PROFILE_FILES, prefix + "conf/")));
            List<String> args = new ArrayList<>();
            step.get("HadoopJarStep").get("Args").forEach(a -> args.add(a.asText()));
            assertEquals(viaScript, args, step.get("Name").asText());
            assertEquals("command-runner.jar", step.get("HadoopJarStep").get("Jar").asText());
        }
    }

    @Test
    void emrAddStepsUploadsWhatTheStepsNameAndConvertsThemToTheCliShape() throws Exception {
        List<String> out = dryRun(Map.of("CAROT_JAR", "/jars/cuda.jar"), "emr/add-steps.sh", "j-ABC", "s3://bkt/run/");
        List<String> uploads = new ArrayList<>(List.of("aws s3 cp /jars/cuda.jar s3://bkt/run/carot-spark-job-cuda.jar"));
        EMR_PROFILE_FILES.forEach(f -> uploads.add("aws s3 cp " + CONF.resolve(f) + " s3://bkt/run/conf/" + f));
        assertEquals(uploads, out.subList(0, uploads.size()));
        assertTrue(out.get(uploads.size()).matches("aws emr add-steps --cluster-id j-ABC --steps file://\\S+\\.json"),
                out.get(uploads.size()));
        JsonNode cli = JSON.readTree(String.join("\n", out.subList(uploads.size() + 1, out.size())));
        JsonNode api = JSON.readTree(DEPLOY.resolve("emr/steps.json").toFile());
        assertEquals(api.size(), cli.size());
        for (int i = 0; i < api.size(); i++) {
            assertEquals("CUSTOM_JAR", cli.get(i).get("Type").asText());
            assertEquals(api.get(i).get("Name"), cli.get(i).get("Name"));
            assertEquals(api.get(i).get("HadoopJarStep").get("Args").toString().replace("s3://YOUR-BUCKET/carot", "s3://bkt/run"),
                    cli.get(i).get("Args").toString());
        }
    }

    @Test
    void emrClusterHasGpuSchedulingAndTheNodeSetupBootstrap() throws Exception {
        List<String> out = dryRun(Map.of(), "emr/create-cluster.sh", "s3://bkt/run");
        assertEquals("aws s3 cp --recursive " + DEPLOY.resolve("gpu") + " s3://bkt/run/deploy/gpu", out.get(0));
        assertEquals(List.of("aws", "emr", "create-cluster"), out.subList(1, 4));
        assertEquals("file://" + DEPLOY.resolve("emr/configurations.json"), after(out, "--configurations"));
        assertEquals("Name=carot-node-setup,Path=s3://bkt/run/deploy/gpu/node-setup.sh,Args=[s3://bkt/run/deploy]",
                after(out, "--bootstrap-actions"));
        JsonNode yarn = JSON.readTree(DEPLOY.resolve("emr/configurations.json").toFile()).get(0);
        assertEquals("yarn.io/gpu", yarn.get("Properties").get("yarn.resource-types").asText());
        assertNotEquals(0, script(Map.of(), "emr/create-cluster.sh", "--dry-run", "gs://wrong").exitCode());
    }

    static String after(List<String> words, String flag) {
        return words.get(words.indexOf(flag) + 1);
    }

    @Test
    void dataprocSubmitShipsTheProfileAndRunsTheDriverInClusterModeOnJava17() throws Exception {
        List<String> cmd = dryRun(Map.of("CAROT_JAR", "gs://b/j.jar"), "dataproc/submit.sh", "c1", "us-east1",
                "PrepareDataJob", "-Dcarot.x=1");
        List<String> dataprocFiles = List.of("dataproc.conf", "imagenet-paths.conf", "spark-cluster.conf",
                "gpu-executors.conf");
        List<String> properties = new ArrayList<>(DRIVER_SETTINGS);
        properties.addAll(List.of("spark.submit.deployMode=cluster", "spark.yarn.appMasterEnv.JAVA_HOME=/opt/carot/jdk17",
                "spark.executorEnv.JAVA_HOME=/opt/carot/jdk17"));
        assertEquals(List.of("gcloud", "dataproc", "jobs", "submit", "spark", "--cluster=c1", "--region=us-east1",
                "--class=PrepareDataJob", "--jars=gs://b/j.jar",
                "--files=" + String.join(",", conf(dataprocFiles, CONF + "/")),
                "--properties=^#^" + String.join("#", properties), "--", "dataproc.conf", "-Dcarot.x=1"), cmd);
    }

    @Test
    void dataprocClusterInstallsTheGpuDriverThenTheNodeSetup() throws Exception {
        List<String> out = dryRun(Map.of(), "dataproc/create-cluster.sh", "carot", "europe-west4", "gs://b/run");
        assertEquals("gcloud storage cp --recursive " + DEPLOY.resolve("gpu") + " gs://b/run/deploy/", out.get(0));
        assertTrue(out.contains("--image-version=2.2-debian12"), out.toString());
        assertTrue(out.contains("--worker-accelerator=type=nvidia-tesla-a100,count=1"), out.toString());
        assertTrue(out.contains("--initialization-actions=gs://goog-dataproc-initialization-actions-europe-west4/gpu/"
                + "install_gpu_driver.sh,gs://b/run/deploy/gpu/node-setup.sh"), out.toString());
        assertTrue(out.contains("--metadata=gpu-driver-provider=NVIDIA,install-gpu-agent=false,"
                + "carot-deploy-uri=gs://b/run/deploy"), out.toString());
    }

    @Test
    void nodeSetupInstallsTheCuda116RuntimeOnGpuNodesAndJava17OnDataproc() throws Exception {
        List<String> emrGpu = nodeSetup("emr", true);
        assertTrue(emrGpu.contains("aws s3 cp --only-show-errors s3://b/carot/deploy/gpu/carot-gpu-discovery.sh "
                + "/opt/carot/bin/carot-gpu-discovery.sh"), emrGpu.toString());
        assertTrue(emrGpu.contains("sha1sum -c: bee13e58da89a9c00054280f275aa8ee53571c86  /tmp/carot-cuda-11.6-redist.jar"));
        String unzip = emrGpu.stream().filter(l -> l.startsWith("unzip ")).findFirst().orElseThrow();
        for (String lib : List.of("libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11", "libcusolver.so.11",
                "libcusparse.so.11")) {
            assertTrue(unzip.contains("org/bytedeco/cuda/linux-x86_64/" + lib + " "), lib + " in " + unzip);
        }
        assertTrue(emrGpu.contains("ldconfig") && emrGpu.contains(
                "mount -t cgroup -o devices cgroupv1-devices /spark-rapids-cgroup/devices"), emrGpu.toString());
        assertFalse(emrGpu.stream().anyMatch(l -> l.contains("jdk17")), "EMR 7 runs Java 17 already");

        List<String> dataprocCpu = nodeSetup("dataproc", false);
        assertFalse(dataprocCpu.stream().anyMatch(l -> l.contains("cuda")), "no CUDA on a node without GPU");
        Optional<String> link = dataprocCpu.stream().filter(l -> l.startsWith("ln -sfn ")).findFirst();
        assertTrue(link.isPresent() && link.get().endsWith(" /opt/carot/jdk17"), dataprocCpu.toString());
        assertTrue(Files.readString(DEPLOY.resolve("dataproc/job.properties"))
                .contains("spark.executorEnv.JAVA_HOME=/opt/carot/jdk17"));
    }

    /**
     * Before installing anything, node setup refuses a GPU the CUDA backend cannot run (read from a stub of
     * nvidia-smi's output); a supported GPU gets the node-local JavaCPP cache that gpu-executors.conf names.
     */
    @Test
    void nodeSetupRefusesHopperGpusAndGivesSupportedOnesANodeLocalJavacppCache(@TempDir Path bin) throws Exception {
        Path smi = bin.resolve("nvidia-smi");
        Files.setPosixFilePermissions(Files.writeString(smi, "#!/bin/sh\n"
                + "[ \"$1\" = --query-gpu=name,compute_cap ] || exit 9\nprintf 'NVIDIA H100 80GB HBM3, 9.0\\n'\n"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"), "CAROT_NODE_PLATFORM", "emr",
                "CAROT_NODE_HAS_GPU", "true");
        Commands.Result hopper = script(env, "gpu/node-setup.sh", "--dry-run", "s3://b/carot/deploy");
        assertEquals(1, hopper.exitCode(), hopper.toString());
        assertTrue(hopper.stdout().isBlank(), "nothing installed: " + hopper);
        assertEquals(1, hopper.stderr().strip().lines().count(), hopper.stderr());
        assertTrue(hopper.stderr().contains("NVIDIA H100 80GB HBM3") && hopper.stderr().contains("9.0")
                && hopper.stderr().contains("A100, A10G, L4 or L40S"), hopper.stderr());

        Files.writeString(smi, "#!/bin/sh\nprintf 'NVIDIA A10G, 8.6\\n'\n");
        List<String> a10g = dryRun(env, "gpu/node-setup.sh", "s3://b/carot/deploy");
        assertTrue(a10g.contains("ln -sfn /mnt/carot/javacpp-cache /opt/carot/javacpp-cache")
                && a10g.contains("chmod 1777 /mnt/carot/javacpp-cache"), a10g.toString());
        for (String profile : List.of("emr.conf", "dataproc.conf")) {
            String executorOptions = ClusterProfilesTest.sparkConf(profile).get("spark.executor.extraJavaOptions");
            assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.cachedir=/opt/carot/javacpp-cache")
                    && executorOptions.contains("-Dorg.bytedeco.javacpp.maxbytes="), profile + ": " + executorOptions);
        }
    }

    @Test
    void gpuDiscoveryPrintsSparksResourceJson(@TempDir Path bin) throws Exception {
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = --query-gpu=index ] || exit 9\nprintf '0\\n1\\n'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}",
                script(env, "gpu/carot-gpu-discovery.sh").stdout().trim());
        env.put("CUDA_VISIBLE_DEVICES", "1");
        assertEquals("{\"name\": \"gpu\", \"addresses\": [\"1\"]}", script(env, "gpu/carot-gpu-discovery.sh").stdout().trim());

        Files.writeString(smi, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        Commands.Result failed = script(Map.of("PATH", bin + ":" + System.getenv("PATH")), "gpu/carot-gpu-discovery.sh");
        assertEquals(1, failed.exitCode());
        assertTrue(failed.stderr().contains("nvidia-smi failed: NVIDIA-SMI has failed"), failed.stderr());
    }

    // ---- Airflow DAGs ----

    static final Path AIRFLOW = Path.of("src/test/resources/airflow").toAbsolutePath();

    /** A python3 with botocore if there is one (CI installs python3-botocore), else any python3. */
    static Optional<String> python(boolean needBotocore) throws Exception {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                String check = needBotocore ? "import botocore" : "pass";
                if (Commands.run(ROOT, candidate, "-c", check).exitCode() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException notInstalled) {
                // try the next
            }
        }
        return Optional.empty();
    }

    static JsonNode dags(String python, String major, Map<String, String> extraEnv, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, AIRFLOW.resolve("dump_dags.py").toString()));
        for (Path f : files) {
            cmd.add(f.toString());
        }
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put("STUB_AIRFLOW_MAJOR", major);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Commands.Result r = Commands.run(ROOT, env, Duration.ofMinutes(1), cmd);
        assertEquals(0, r.exitCode(), r.toString());
        return JSON.readTree(r.stdout());
    }

    static Path[] dagFiles() {
        return new Path[] {DEPLOY.resolve("airflow/carot_spark_submit_dag.py"), DEPLOY.resolve("airflow/carot_emr_dag.py"),
                DEPLOY.resolve("airflow/carot_dataproc_dag.py")};
    }

    @Test
    void airflowDagsSubmitWhatTheScriptsSubmitOnAirflow2And3() throws Exception {
        String python = python(false).orElse(null);
        assumeTrue(python != null, "needs python3 (.ci/run installs it)");
        for (String major : List.of("2", "3")) {
            JsonNode all = dags(python, major, Map.of(), dagFiles());

            JsonNode submit = all.get("carot_finetune_spark_submit").get("tasks");
            JsonNode train = submit.get("finetune_and_evaluate").get("kwargs");
            assertEquals("{{ var.value.carot_jar }}", train.get("application").asText(), "read when the task runs");
            assertEquals("cluster", train.get("deploy_mode").asText());
            assertEquals("FineTuneJob", train.get("java_class").asText());
            assertEquals(String.join(",", conf(EMR_PROFILE_FILES, CONF + "/")), train.get("files").asText());
            assertEquals(List.of("emr.conf", "-Dcarot.output-dir=/mnt/carot/run/{{ ds_nodash }}",
                    "-Dcarot.train.checkpoint-dir=s3a://YOUR-BUCKET/carot/checkpoints/{{ ds_nodash }}"),
                    JSON.convertValue(train.get("application_args"), List.class), "a directory of the run's own");
            assertEquals(DRIVER_SETTINGS.size(), train.get("conf").size());
            DRIVER_SETTINGS.forEach(s -> assertEquals(s.substring(s.indexOf('=') + 1),
                    train.get("conf").get(s.substring(0, s.indexOf('='))).asText()));
            assertEquals("[\"finetune_and_evaluate\"]", submit.get("prepare_parquet").get("downstream").toString());

            JsonNode emr = all.get("carot_finetune_emr").get("tasks");
            JsonNode steps = emr.get("add_steps").get("kwargs").get("steps");
            JsonNode expectedSteps = JSON.readTree(JSON.readTree(DEPLOY.resolve("emr/steps.json").toFile()).toString()
                    .replace("s3://YOUR-BUCKET/carot", "{{ var.value.carot_s3_prefix }}"));
            ((com.fasterxml.jackson.databind.node.ArrayNode) expectedSteps.get(1).get("HadoopJarStep").get("Args"))
                    .add("-Dcarot.output-dir=/mnt/carot/run/{{ ds_nodash }}")
                    .add("-Dcarot.train.checkpoint-dir=s3a://YOUR-BUCKET/carot/checkpoints/{{ ds_nodash }}");
            assertEquals(expectedSteps, steps, "steps.json, training in a directory of the run's own");
            assertEquals("{\"xcom_of\":\"create_cluster\"}", emr.get("add_steps").get("kwargs").get("job_flow_id").toString());
            assertEquals("[\"create_cluster\"]", emr.get("terminate_cluster").get("teardown_of").toString(),
                    "the cluster is torn down whatever happened");
            assertEquals("[\"terminate_cluster\",\"training_succeeded\"]",
                    emr.get("watch_training").get("downstream").toString(), "a failed step fails the run");
            JsonNode flow = emr.get("create_cluster").get("kwargs").get("job_flow_overrides");
            List<String> created = dryRun(Map.of(), "emr/create-cluster.sh", "s3://p/q");
            assertEquals(after(created, "--release-label"), flow.get("ReleaseLabel").asText());
            JsonNode core = flow.get("Instances").get("InstanceGroups").get(1);
            assertTrue(created.contains("InstanceGroupType=CORE,InstanceCount=" + core.get("InstanceCount").asInt()
                    + ",InstanceType=" + core.get("InstanceType").asText()), "same core nodes as create-cluster.sh");
            assertEquals(JSON.readTree(DEPLOY.resolve("emr/configurations.json").toFile()), flow.get("Configurations"));
            assertEquals("{{ var.value.carot_s3_prefix }}/deploy/gpu/node-setup.sh",
                    flow.get("BootstrapActions").get(0).get("ScriptBootstrapAction").get("Path").asText());

            JsonNode dataproc = all.get("carot_finetune_dataproc").get("tasks").get("finetune_and_evaluate")
                    .get("kwargs").get("job").get("spark_job");
            assertEquals("FineTuneJob", dataproc.get("main_class").asText());
            assertEquals(List.of("dataproc.conf", "-Dcarot.output-dir=/tmp/carot/run/{{ ds_nodash }}",
                    "-Dcarot.train.checkpoint-dir=gs://YOUR-BUCKET/carot/checkpoints/{{ ds_nodash }}"),
                    JSON.convertValue(dataproc.get("args"), List.class));
            assertEquals("cluster", dataproc.get("properties").get("spark.submit.deployMode").asText());
            assertEquals("/opt/carot/jdk17", dataproc.get("properties").get("spark.yarn.appMasterEnv.JAVA_HOME").asText());
            assertEquals(4, dataproc.get("file_uris").size());
        }
    }

    /**
     * A scheduled run means something: the schedule from the Variable carot_schedule (default @weekly), retries
     * with their delay, a timeout on every long task, waiting without holding a worker slot, created clusters
     * torn down and limited by their own idle timeout.
     */
    @Test
    void airflowDagsFollowTheSchedulingConventions() throws Exception {
        String python = python(false).orElse(null);
        assumeTrue(python != null, "needs python3 (.ci/run installs it)");
        JsonNode all = dags(python, "3", Map.of(), dagFiles());
        Set<String> longTasks = Set.of("prepare_parquet", "finetune_and_evaluate", "watch_training", "create_cluster",
                "terminate_cluster", "delete_cluster");
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> dag = it.next();
            assertEquals("@weekly", dag.getValue().get("schedule").asText(), dag.getKey());
            JsonNode defaults = dag.getValue().get("default_args");
            assertTrue(defaults.get("retries").asInt() > 0 && defaults.has("retry_delay"), dag.getKey() + " " + defaults);
            for (Iterator<Map.Entry<String, JsonNode>> tasks = dag.getValue().get("tasks").fields(); tasks.hasNext(); ) {
                Map.Entry<String, JsonNode> task = tasks.next();
                JsonNode kwargs = task.getValue().get("kwargs");
                if (longTasks.contains(task.getKey())) {
                    assertTrue(kwargs.has("execution_timeout"), dag.getKey() + "." + task.getKey() + " has a timeout");
                }
                if (task.getValue().get("operator").asText().endsWith("Sensor")) {
                    assertEquals("reschedule", kwargs.get("mode").asText(), task.getKey() + " holds no worker slot");
                }
                if (task.getValue().get("operator").asText().startsWith("Dataproc")) {
                    assertTrue(kwargs.get("deferrable").asBoolean(), task.getKey() + " waits deferred");
                }
            }
        }
        JsonNode emr = all.get("carot_finetune_emr").get("tasks");
        assertEquals(3600, emr.get("create_cluster").get("kwargs").get("job_flow_overrides")
                .get("AutoTerminationPolicy").get("IdleTimeout").asInt(), "a stranded EMR cluster ends itself");
        JsonNode dataproc = all.get("carot_finetune_dataproc").get("tasks");
        assertEquals("[\"create_cluster\"]", dataproc.get("delete_cluster").get("teardown_of").toString());
        assertEquals("{\"seconds\":3600}", dataproc.get("create_cluster").get("kwargs").get("cluster_config")
                .get("lifecycle_config").get("idle_delete_ttl").toString(), "a stranded Dataproc cluster ends itself");
        assertEquals("{{ var.value.carot_dataproc_cluster }}-{{ ds_nodash }}",
                dataproc.get("finetune_and_evaluate").get("kwargs").get("job").get("placement").get("cluster_name")
                        .asText(), "the job runs on the cluster the run created");
        List<String> dataprocCreated = dryRun(Map.of(), "dataproc/create-cluster.sh", "c", "europe-west4", "gs://b/run");
        assertTrue(dataprocCreated.contains("--max-idle=1h"), dataprocCreated.toString());
        List<String> emrCreated = dryRun(Map.of(), "emr/create-cluster.sh", "s3://p/q");
        assertEquals("IdleTimeout=3600", after(emrCreated, "--auto-termination-policy"));

        // The schedule is the Variable carot_schedule, given through the environment; "none" = only on demand.
        JsonNode nightly = dags(python, "2", Map.of("AIRFLOW_VAR_CAROT_SCHEDULE", "0 3 * * *"), dagFiles());
        nightly.forEach(d -> assertEquals("0 3 * * *", d.get("schedule").asText()));
        JsonNode manual = dags(python, "2", Map.of("AIRFLOW_VAR_CAROT_SCHEDULE", "none"), dagFiles());
        manual.forEach(d -> assertTrue(d.get("schedule").isNull()));
    }

    @Test
    void emrRequestsOfTheDagAndStepsJsonPassBotocoresValidation() throws Exception {
        String python = python(true).orElse(null);
        assumeTrue(python != null, "needs python3-botocore (.ci/run installs it)");
        JsonNode all = dags(python, "3", Map.of(), dagFiles());
        assertEquals("[]", all.get("carot_finetune_emr").get("emr_shape_errors").toString());
        // The check can fail: a step without its HadoopJarStep is refused.
        JsonNode broken = dags(python, "3", Map.of("BROKEN", "shape"), AIRFLOW.resolve("broken_dags.py"));
        assertTrue(broken.get("broken").get("emr_shape_errors").toString().contains("HadoopJarStep"), broken.toString());
    }

    @Test
    void anArgumentTheRealOperatorDoesNotTakeFailsTheImport() throws Exception {
        String python = python(false).orElse(null);
        assumeTrue(python != null, "needs python3");
        Commands.Result r = Commands.run(ROOT, Map.of("BROKEN", "kwarg", "STUB_AIRFLOW_MAJOR", "3",
                "PYTHONDONTWRITEBYTECODE", "1"), python, AIRFLOW.resolve("dump_dags.py").toString(),
                AIRFLOW.resolve("broken_dags.py").toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("EmrAddStepsOperator got unexpected arguments ['deploy_mode']"), r.stderr());
    }
}
