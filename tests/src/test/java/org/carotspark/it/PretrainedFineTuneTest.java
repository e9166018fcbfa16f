package org.carotspark.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.job.FineTuneRun;
import org.carotspark.prep.DataPreparation;
import org.carotspark.synth.GenerateStage;
import org.carotspark.train.SparkJobs;
import org.carotspark.weights.ClipModelDirectory;
import org.carotspark.weights.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training and evaluation start from a published-layout checkpoint (the PyTorch reference's tiny open_clip
 * directory, with its BPE vocabulary): with a learning rate of 1e-12, flyp's exported student is the checkpoint
 * to within 1e-9 and scores what zero-shot scores — so every weight, the logit scale included, came from the
 * file and no initialiser touched it (a fresh draw differs by ~1e-2), in training as in evaluation.
 */
class PretrainedFineTuneTest {

    /** The spark-job module's reference fixture; the tests module runs in tests/. */
    private static final Path FIXTURE = Path.of("..", "spark-job", "src", "test", "resources", "clip-reference")
            .toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void aRunFromACheckpointTrainsAndExportsItsWeights() throws Exception {
        Path checkpoint = FIXTURE.resolve("openclip");
        Config config = EndToEndTest.configFor(dir,
                "-Dcarot.prep.image-size=32", // the fixture model's image size
                "-Dcarot.model.checkpoint=" + checkpoint,
                "-Dcarot.model.vocab=" + FIXTURE.resolve("hf/vocab.json"),
                "-Dcarot.methods=[zeroshot,flyp]",
                "-Dcarot.eval.splits=[imagenet,imagenet-r]",
                "-Dcarot.train.learning-rate=1e-12",
                "-Dcarot.train.epochs=1",
                "-Dcarot.export-models=true");
        GenerateStage.run(config);
        SparkSession spark = SparkJobs.start(config, "pretrained-test");
        try {
            new DataPreparation().run(spark, config);
            new FineTuneRun(spark, config).run();
        } finally {
            spark.stop();
        }

        try (var original = ClipModelDirectory.detect(checkpoint).open();
             var exported = ClipModelDirectory.detect(dir.resolve("run/models/flyp/student")).open()) {
            assertEquals(original.weights().tensors().size(), exported.weights().tensors().size());
            for (TensorInfo t : original.weights().tensors()) {
                assertArrayEquals(original.weights().readFloats(t.name()), exported.weights().readFloats(t.name()), 1e-9f,
                        t.name());
            }
        }
        Map<String, Map<String, double[]>> scores = new HashMap<>();
        for (JsonNode r : new ObjectMapper().readTree(dir.resolve("run/report.json").toFile()).get("results")) {
            scores.computeIfAbsent(r.get("method").asText(), m -> new HashMap<>()).put(r.get("split").asText(),
                    new double[] {r.get("accuracy").asDouble(), r.get("ece").asDouble(), r.get("nll").asDouble()});
        }
        assertEquals(scores.get("zeroshot").keySet(), scores.get("flyp").keySet());
        assertTrue(scores.get("zeroshot").containsKey("imagenet-r"), scores.keySet().toString());
        for (String split : scores.get("zeroshot").keySet()) {
            assertArrayEquals(scores.get("zeroshot").get(split), scores.get("flyp").get(split), 1e-6, split);
        }
    }
}
