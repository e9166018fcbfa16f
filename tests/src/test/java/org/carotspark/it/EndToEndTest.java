package org.carotspark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.Split;
import org.carotspark.job.FineTuneRun;
import org.carotspark.prep.PrepManifest;
import org.carotspark.prep.DataPreparation;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.synth.GenerateStage;
import org.carotspark.train.SparkJobs;
import org.carotspark.weights.ClipModelDirectory;
import org.carotspark.weights.StateDictNaming;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline through real local[2] Spark on a very small generated set: generate the
 * published layouts, prepare Parquet, train flyp and carot by parameter averaging with the EMA
 * teacher, evaluate every split, and check the report against the manifest.
 */
class EndToEndTest {

    @TempDir
    static Path dir;
    static Config config;
    static SparkSession spark;

    /** The tiny sizes of every end-to-end run, as -D overrides. */
    static List<String> tinyOverrides(Path root) {
        return List.of(
                "-Dcarot.spark.master=local[2]",
                // Kryo, as the cluster deployments configure it.
                "-Dcarot.spark.conf.\"spark.serializer\"=org.apache.spark.serializer.KryoSerializer",
                "-Dcarot.data.raw-root=" + root.resolve("raw"),
                "-Dcarot.data.parquet-root=" + root.resolve("parquet"),
                "-Dcarot.output-dir=" + root.resolve("run"),
                "-Dcarot.generate.classes=4",
                "-Dcarot.generate.train-per-class=20",
                "-Dcarot.generate.val-per-class=4",
                "-Dcarot.generate.ood-per-class=3",
                "-Dcarot.generate.imagenet-c-per-class=1",
                "-Dcarot.prep.image-size=16",
                "-Dcarot.prep.heldout-fraction=0.2",
                // A CLIP far below reference.conf's ViT-B/16: every shape key set.
                "-Dcarot.model.image-size=16",
                "-Dcarot.model.patch-size=8",
                "-Dcarot.model.vision-width=16",
                "-Dcarot.model.vision-layers=1",
                "-Dcarot.model.vision-heads=2",
                "-Dcarot.model.context-length=16",
                "-Dcarot.model.text-width=16",
                "-Dcarot.model.text-layers=1",
                "-Dcarot.model.text-heads=2",
                "-Dcarot.model.embed-dim=8",
                "-Dcarot.methods=[zeroshot,flyp,carot]",
                "-Dcarot.train.learning-rate=1e-3",
                "-Dcarot.train.warmup-steps=2",
                "-Dcarot.train.global-batch-size=16",
                "-Dcarot.train.min-pairs-per-worker=4",
                "-Dcarot.train.epochs=2",
                "-Dcarot.train.averaging-frequency=2",
                "-Dcarot.train.ema.interval-steps=2",
                "-Dcarot.eval.batch-size=16");
    }

    static Config configFor(Path root, String... extra) {
        List<String> args = new ArrayList<>(tinyOverrides(root));
        args.addAll(List.of(extra));
        return CarotConfigLoader.load(args.toArray(new String[0]));
    }

    @BeforeAll
    static void generateAndPrepare() throws Exception {
        config = configFor(dir, "-Dcarot.export-models=true");
        GenerateStage.run(config);
        spark = SparkJobs.start(config, "e2e-test");
        new DataPreparation().run(spark, config);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void reportHasEveryMethodAndSplitWithSaneNumbersMatchingTheManifest() throws Exception {
        new FineTuneRun(spark, config).run();

        JsonNode report = new ObjectMapper().readTree(dir.resolve("run/report.json").toFile());
        PrepManifest manifest = PrepManifest.fromJson(Files.readString(dir.resolve("parquet/manifest.json")));
        Map<String, Long> expectedN = new HashMap<>();
        for (Split s : Split.values()) {
            if (manifest.split(s) != null) {
                expectedN.put(s.configName(), manifest.split(s).rowsWritten());
            }
        }
        Map<String, Integer> rowsPerMethod = new HashMap<>();
        Map<String, Integer> corruptionRows = new HashMap<>();
        for (JsonNode r : report.get("results")) {
            String method = r.get("method").asText();
            String split = r.get("split").asText();
            double acc = r.get("accuracy").asDouble();
            double ece = r.get("ece").asDouble();
            assertTrue(acc >= 0 && acc <= 1, method + "/" + split + " accuracy " + acc);
            assertTrue(ece >= 0 && ece <= 1, method + "/" + split + " ECE " + ece);
            assertTrue(r.get("ece_ts").asDouble() >= 0 && r.get("temperature").asDouble() > 0);
            assertTrue(r.get("brier").asDouble() >= 0 && r.get("brier").asDouble() <= 2, "Brier in [0, 2]");
            if (!r.get("corruption").isNull()) {
                corruptionRows.merge(method, 1, Integer::sum);
                continue;
            }
            rowsPerMethod.merge(method, 1, Integer::sum);
            if (!split.equals(ReportWriter.OOD_AVG)) {
                assertEquals(expectedN.get(split), r.get("n").asLong(), method + "/" + split + " n vs manifest");
            }
        }
        assertEquals(Map.of("zeroshot", 8, "flyp", 8, "carot", 8), rowsPerMethod,
                "7 splits + ood-avg for each method");
        assertEquals(Map.of("zeroshot", 15 * 6, "flyp", 15 * 6, "carot", 15 * 6), corruptionRows,
                "IN-C: each of the 15 corruptions' mean and its 5 severities");
        assertTrue(Files.readString(dir.resolve("run/report.html")).contains("data:image/png;base64,"));
        // Figure 6: each method's smallest singular values of its standardised ID feature covariance, ascending.
        Map<String, Double> sigmaMin = new HashMap<>();
        for (JsonNode sp : report.get("spectra")) {
            JsonNode values = sp.get("smallest_singular_values");
            assertEquals(8, values.size(), "min(20, embed-dim 8) values");
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i).asDouble() >= values.get(i - 1).asDouble(), "ascending");
            }
            sigmaMin.put(sp.get("method").asText(), sp.get("sigma_min").asDouble());
        }
        assertEquals(java.util.Set.of("zeroshot", "flyp", "carot"), sigmaMin.keySet());
        assertTrue(report.get("method_settings").get("carot").asText().contains("λ_OC 0.2"),
                report.get("method_settings").toString());
        assertTrue(Files.readString(dir.resolve("run/report.md")).contains("σ_min"), "σ_min in the tables");
        assertTrue(report.get("run").get("carot").get("ema_updates").asInt() >= 1, "the EMA teacher moved");
        String md = Files.readString(dir.resolve("run/report.md"));
        assertTrue(md.contains("| carot |") && md.contains("ECE"), md);
        assertExportedModels(dir.resolve("run/models"));

        // The run names the data it read; a rerun of the finished job reports the run section whole.
        assertEquals(manifest.version(), report.get("run").get("prep_version").asText());
        new FineTuneRun(spark, config).run();
        JsonNode again = new ObjectMapper().readTree(dir.resolve("run/report.json").toFile());
        assertEquals(report.get("run").get("carot"), again.get("run").get("carot"), "the skipped method's training");
        assertEquals(manifest.version(), again.get("run").get("prep_version").asText());

        // Prep again over the same sources: a new version of the same data, so the finished methods still count.
        PrepManifest same = new DataPreparation().run(spark, config);
        assertFalse(same.version().equals(manifest.version()));
        assertEquals(rowsOf(report), rowsOf(reportAfter(config)), "same data: skipped, same rows");
        // Prep with another held-out carve: images trained on could now tune the temperature. Refused, one line.
        Config recarved = configFor(dir, "-Dcarot.export-models=true", "-Dcarot.prep.heldout-seed=99");
        PrepManifest other = new DataPreparation().run(spark, recarved);
        UserFacingException e = assertThrows(UserFacingException.class, () -> new FineTuneRun(spark, config).run());
        assertTrue(e.getMessage().contains(manifest.version()) && e.getMessage().contains(other.version())
                && e.getMessage().contains("carot.train.restart-on-prep-change"), e.getMessage());
    }

    private static String rowsOf(JsonNode report) {
        return report.get("results").toString();
    }

    private static JsonNode reportAfter(Config c) throws Exception {
        new FineTuneRun(spark, c).run();
        return new ObjectMapper().readTree(dir.resolve("run/report.json").toFile());
    }

    /** flyp exports its student; carot its student and the EMA teacher, which lags behind it. */
    private static void assertExportedModels(Path models) {
        assertTrue(Files.isDirectory(models.resolve("flyp/student")), "flyp student exported");
        assertFalse(Files.exists(models.resolve("flyp/teacher")), "flyp has no teacher");
        assertFalse(Files.exists(models.resolve("zeroshot")), "zeroshot trains nothing, exports nothing");
        try (var student = ClipModelDirectory.detect(models.resolve("carot/student")).open();
             var teacher = ClipModelDirectory.detect(models.resolve("carot/teacher")).open()) {
            assertEquals(StateDictNaming.OPENAI, student.naming());
            float[] s = student.weights().readFloats("visual.proj");
            float[] t = teacher.weights().readFloats("visual.proj");
            assertEquals(s.length, t.length);
            assertFalse(java.util.Arrays.equals(s, t), "the EMA teacher is not the student");
            for (float v : s) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /**
     * FT, LP-FT and WiSE-FT run through the same trainer and evaluation as CLIP's methods: WiSE-FT at α = 0 is the
     * zero-shot model and at α = 1 is FT, metric for metric on every split and IN-C group; FT and LP-FT trained.
     * WiSE-FT of FLYP (carot.baselines.wise-ft-of) mixes all of CLIP: at α = 0 the zero-shot model, at α = 1 FLYP.
     * A sweep entry (CaRot without L_OC, one epoch) lands in the same report under its own name.
     */
    @Test
    void classifierBaselinesShareTheTrainingAndEvaluationPaths() throws Exception {
        Config c = configFor(dir, "-Dcarot.methods=[zeroshot,ft,lp-ft,flyp,wise-ft]",
                "-Dcarot.baselines.wise-ft-of=[ft,flyp]", "-Dcarot.baselines.ft.learning-rate=1e-3",
                "-Dcarot.sweep=[{name = carot-oc0, method = carot, settings {loss.lambda-oc = 0, train.epochs = 1}}]",
                "-Dcarot.baselines.wise-ft-alphas=[0,1]", "-Dcarot.output-dir=" + dir.resolve("run-baselines"),
                "-Dcarot.train.checkpoint-dir=" + dir.resolve("checkpoints-baselines"));
        Map<String, Map<String, ResultRow>> byMethod = new HashMap<>();
        for (ResultRow r : new FineTuneRun(spark, c).run()) {
            byMethod.computeIfAbsent(r.method(), k -> new HashMap<>())
                    .put(r.split() + "/" + r.corruption() + "/" + r.severity(), r);
        }
        assertEquals(java.util.Set.of("zeroshot", "ft", "lp-ft", "flyp", "wise-ft-0.0", "wise-ft-1.0", "wise-ft-flyp-0.0",
                "wise-ft-flyp-1.0", "carot-oc0"), byMethod.keySet(), "the methods, then the sweep's entry under its name");
        assertSameMetrics(byMethod.get("zeroshot"), byMethod.get("wise-ft-0.0"));
        assertSameMetrics(byMethod.get("ft"), byMethod.get("wise-ft-1.0"));
        assertSameMetrics(byMethod.get("zeroshot"), byMethod.get("wise-ft-flyp-0.0"));
        assertSameMetrics(byMethod.get("flyp"), byMethod.get("wise-ft-flyp-1.0"));
        for (String trained : List.of("ft", "lp-ft")) {
            double moved = 0;
            for (var e : byMethod.get("zeroshot").entrySet()) {
                moved = Math.max(moved, Math.abs(e.getValue().raw().nll() - byMethod.get(trained).get(e.getKey())
                        .raw().nll()));
            }
            assertTrue(moved > 1e-3, trained + " trained: NLL moved by " + moved);
        }
    }

    private static void assertSameMetrics(Map<String, ResultRow> expected, Map<String, ResultRow> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            ResultRow a = actual.get(e.getKey());
            String where = a.method() + " " + e.getKey();
            assertEquals(e.getValue().n(), a.n(), where);
            assertEquals(e.getValue().accuracy(), a.accuracy(), 1e-9, where);
            assertEquals(e.getValue().ece(), a.ece(), 1e-4, where);
            assertEquals(e.getValue().raw().nll(), a.raw().nll(), 1e-4, where);
            assertEquals(e.getValue().raw().eceReference(), a.raw().eceReference(), 1e-4, where);
        }
    }

    @Test
    void aMissingSplitIsOneClearErrorNamingIt() {
        Config missing = configFor(dir, "-Dcarot.data.parquet-root=" + dir.resolve("nowhere"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> new FineTuneRun(spark, missing).run());
        assertTrue(e.getMessage().contains("imagenet-train") && e.getMessage().contains("nowhere"), e.getMessage());
    }
}
