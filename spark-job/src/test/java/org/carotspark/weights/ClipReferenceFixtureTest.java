package org.carotspark.weights;

import com.fasterxml.jackson.databind.JsonNode;
import org.carotspark.image.ClipEvalTransform;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.ClipReferenceFixture;
import org.carotspark.text.ClipBpeTokenizer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python reference's tiny CLIP, as the Java side reads it: both files validate against the
 * expected-name table, the Hugging Face file is the OpenAI one relabelled by the documented
 * conventions (q/k/v split, projections transposed), and the fixture's token ids are the tokenizer's.
 */
class ClipReferenceFixtureTest {

    private static final Path DIR = ClipReferenceFixture.dir();

    private static ClipModelConfig config() {
        return ClipModelConfigJson.readOpenClip(DIR.resolve("openclip/open_clip_config.json")).config();
    }

    @Test
    void bothFilesMatchTheExpectedTableExactly() {
        ClipModelConfig c = config();
        try (SafetensorsReader openAi = SafetensorsReader.open(DIR.resolve("openclip/open_clip_model.safetensors"));
             SafetensorsReader hf = SafetensorsReader.open(DIR.resolve("hf/model.safetensors"))) {
            StateDictValidator.Report a = StateDictValidator.validate(openAi.tensors(), c, StateDictNaming.OPENAI);
            assertTrue(a.ok(), a.describe());
            assertEquals(ClipTensorLayout.expected(c, StateDictNaming.OPENAI).size(), openAi.tensors().size());
            StateDictValidator.Report h = StateDictValidator.validate(hf.tensors(), c, StateDictNaming.HUGGING_FACE);
            assertTrue(h.ok(), h.describe());
            // Every HF tensor is expected except the two int64 position_ids buffers.
            assertEquals(ClipTensorLayout.expected(c, StateDictNaming.HUGGING_FACE).size() + 2, hf.tensors().size());
            // The wrong table for a file reports it wholesale.
            assertTrue(!StateDictValidator.validate(hf.tensors(), c, StateDictNaming.OPENAI).ok());
            assertEquals(ClipTensorLayout.parameterCount(c),
                    openAi.tensors().stream().mapToLong(TensorInfo::elementCount).sum());
        }
    }

    @Test
    void huggingFaceTensorsAreTheOpenAiOnesRelabelled() {
        ClipModelConfig c = config();
        int w = c.visionWidth();
        int e = c.embedDim();
        try (SafetensorsReader openAi = SafetensorsReader.open(DIR.resolve("openclip/open_clip_model.safetensors"));
             SafetensorsReader hf = SafetensorsReader.open(DIR.resolve("hf/model.safetensors"))) {
            float[] inProj = openAi.readFloats("visual.transformer.resblocks.1.attn.in_proj_weight"); // [3W, W]: q, k, v
            String layer = "vision_model.encoder.layers.1.self_attn.";
            assertArrayEquals(Arrays.copyOfRange(inProj, 0, w * w), hf.readFloats(layer + "q_proj.weight"));
            assertArrayEquals(Arrays.copyOfRange(inProj, w * w, 2 * w * w), hf.readFloats(layer + "k_proj.weight"));
            assertArrayEquals(Arrays.copyOfRange(inProj, 2 * w * w, 3 * w * w), hf.readFloats(layer + "v_proj.weight"));
            float[] proj = openAi.readFloats("visual.proj");                 // [W, E], x @ proj
            float[] linear = hf.readFloats("visual_projection.weight");      // [E, W], Linear
            for (int i = 0; i < w; i++) {
                for (int j = 0; j < e; j++) {
                    assertEquals(proj[i * e + j], linear[j * w + i]);
                }
            }
            assertArrayEquals(openAi.readFloats("ln_final.weight"), hf.readFloats("text_model.final_layer_norm.weight"));
            assertArrayEquals(openAi.readFloats("logit_scale"), hf.readFloats("logit_scale"));
        }
    }

    @Test
    void referenceOutputsHaveTheDocumentedShapes() {
        JsonNode ref = ClipReferenceFixture.json("reference.json");
        ClipModelConfig c = config();
        int images = ref.get("images").size();
        int captions = ref.get("captions").size();
        try (SafetensorsReader r = SafetensorsReader.open(DIR.resolve("reference.safetensors"))) {
            assertArrayEquals(new long[]{images, 3, c.imageSize(), c.imageSize()}, r.tensor("pixel_values").shape());
            assertArrayEquals(new long[]{images, c.embedDim()}, r.tensor("image_features").shape());
            assertArrayEquals(new long[]{captions, c.embedDim()}, r.tensor("text_features").shape());
            assertArrayEquals(new long[]{images, captions}, r.tensor("logits_per_image").shape());
            assertEquals((float) ref.get("logits_per_image").get(1).get(2).asDouble(), r.readFloats("logits_per_image")[captions + 2]);
        }
    }

    @Test
    void pixelValuesAreTheEvalTransformOfTheImages() throws Exception {
        JsonNode ref = ClipReferenceFixture.json("reference.json");
        int s = config().imageSize();
        ClipEvalTransform transform = new ClipEvalTransform(s);
        try (SafetensorsReader r = SafetensorsReader.open(DIR.resolve("reference.safetensors"))) {
            float[] pixels = r.readFloats("pixel_values");
            for (int i = 0; i < ref.get("images").size(); i++) {
                float[] actual = transform.apply(Files.readAllBytes(DIR.resolve("images").resolve(ref.get("images").get(i).asText())));
                float[] expected = Arrays.copyOfRange(pixels, i * 3 * s * s, (i + 1) * 3 * s * s);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], actual[j], 1e-6, "image " + i + " value " + j);
                }
            }
        }
    }

    @Test
    void tokenIdsAreTheTokenizersWithTheModelsOwnVocabulary() {
        JsonNode ref = ClipReferenceFixture.json("reference.json");
        ClipBpeTokenizer tokenizer = ClipBpeTokenizer.load(
                ClipModelDirectory.detect(DIR.resolve("hf")).vocabulary().orElseThrow(), config().contextLength());
        assertEquals(config().vocabSize(), tokenizer.vocabSize());
        for (int i = 0; i < ref.get("captions").size(); i++) {
            JsonNode row = ref.get("token_ids").get(i);
            int[] expected = new int[row.size()];
            Arrays.setAll(expected, j -> row.get(j).asInt());
            assertArrayEquals(expected, tokenizer.encode(ref.get("captions").get(i).asText()), "caption " + i);
        }
    }
}
