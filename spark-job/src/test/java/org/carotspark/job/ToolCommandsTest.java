package org.carotspark.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.config.MainRunner;
import org.carotspark.eval.ZeroShotHead;
import org.carotspark.testing.ClipReferenceFixture;
import org.carotspark.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/carot embed} and {@code zeroshot-head} on the fixture checkpoint, against the PyTorch reference. */
class ToolCommandsTest {

    private static final Path DIR = ClipReferenceFixture.dir();

    @Test
    void embedReproducesThePyTorchReferenceFromImageFilesAndCaptions(@TempDir Path tmp) throws Exception {
        JsonNode ref = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        Path captions = tmp.resolve("captions.txt");
        Files.write(captions, List.of(new ObjectMapper().convertValue(ref.get("captions"), String[].class)));
        Map<String, Object> out = EmbedCommand.embed(DIR.resolve("hf"), "", DIR.resolve("images"), captions);
        JsonNode json = new ObjectMapper().valueToTree(out);
        assertEquals(ref.get("token_ids"), json.get("token_ids"), "CLIP BPE ids from the model's own vocabulary");
        try (SafetensorsReader r = SafetensorsReader.open(DIR.resolve("reference.safetensors"))) {
            for (String name : List.of("image_features", "text_features", "logits_per_image")) {
                double[][] actual = new ObjectMapper().convertValue(json.get(name), double[][].class);
                ClipReferenceFixture.assertClose(
                        Nd4j.create(r.readFloats(name), r.tensor(name).shape(), 'c'), Nd4j.createFromArray(actual), name);
            }
        }
        Path outFile = tmp.resolve("embed.json");
        assertEquals(0, MainRunner.runForExitCode("embed", () -> EmbedCommand.run(new String[] {"--model",
                DIR.resolve("hf").toString(), "--images", DIR.resolve("images").toString(), "--captions",
                captions.toString(), "--out", outFile.toString()})));
        assertTrue(new ObjectMapper().readTree(outFile.toFile()).has("logits_per_image"));
    }

    @Test
    void zeroShotHeadWritesUnitClassEmbeddingsAsJsonOrSafetensors(@TempDir Path tmp) throws Exception {
        Path classes = Files.write(tmp.resolve("classes.txt"), List.of("cat", "red square", "dog"));
        Path templates = Files.write(tmp.resolve("templates.txt"), List.of("a photo of a {}.", "a drawing of the {}."));
        Path json = tmp.resolve("head.json");
        Path st = tmp.resolve("head.safetensors");
        for (Path out : List.of(json, st)) {
            assertEquals(0, MainRunner.runForExitCode("zeroshot-head", () -> ZeroShotHeadCommand.run(new String[] {
                    "--model", DIR.resolve("hf").toString(), "--classnames", classes.toString(), "--templates",
                    templates.toString(), "--out", out.toString()})));
        }
        PretrainedModel model = PretrainedModel.open(DIR.resolve("hf").toString(), "",
                new org.apache.hadoop.conf.Configuration());
        ZeroShotHead expected = ZeroShotHead.build(model.inferenceGraph(), model.tokenizer(),
                List.of("cat", "red square", "dog"), List.of("a photo of a {}.", "a drawing of the {}."), 256);
        try (SafetensorsReader r = SafetensorsReader.open(st)) {
            assertArrayEquals(expected.classEmbeddings(), r.readFloats("zeroshot_weights"), 0f);
            assertArrayEquals(new long[] {3, expected.dim()}, r.tensor("zeroshot_weights").shape());
        }
        JsonNode head = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, head.get("weights").size());
        double norm = 0;
        for (JsonNode v : head.get("weights").get(1)) {
            norm += v.asDouble() * v.asDouble();
        }
        assertEquals(1.0, norm, 1e-5, "unit rows");
        Files.write(templates, List.of("no placeholder here"));
        assertEquals(2, MainRunner.runForExitCode("zeroshot-head", () -> ZeroShotHeadCommand.run(new String[] {
                "--model", DIR.resolve("hf").toString(), "--classnames", classes.toString(), "--templates",
                templates.toString(), "--out", json.toString()})));
    }

    @Test
    void anOutputIntoAMissingDirectoryIsAUserErrorBeforeAnyWork(@TempDir Path tmp) {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        String missing = tmp.resolve("no-such-dir/embed.json").toString();
        assertEquals(2, MainRunner.runForExitCode("embed", () -> EmbedCommand.run(new String[] {"--model",
                DIR.resolve("hf").toString(), "--images", DIR.resolve("images").toString(), "--captions",
                tmp.resolve("captions.txt").toString(), "--out", missing}), stream));
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("no-such-dir"), err.toString());
        assertEquals(2, MainRunner.runForExitCode("zeroshot-head", () -> ZeroShotHeadCommand.run(new String[] {
                "--model", DIR.resolve("hf").toString(), "--classnames", "x", "--templates", "y", "--out",
                tmp.toString()}), stream), "a directory as --out");
    }
}
