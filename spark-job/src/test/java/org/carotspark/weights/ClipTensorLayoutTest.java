package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipModelConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipTensorLayoutTest {

    private static long count(ClipModelConfig c, StateDictNaming naming) {
        return ClipTensorLayout.expected(c, naming).stream().mapToLong(ClipTensorLayout.Entry::elementCount).sum();
    }

    private static Map<String, long[]> shapes(ClipModelConfig c, StateDictNaming naming) {
        Map<String, long[]> m = new HashMap<>();
        ClipTensorLayout.expected(c, naming).forEach(e -> m.put(e.name(), e.shape()));
        return m;
    }

    @Test
    void publishedParameterCounts() {
        // OpenAI CLIP / open_clip's model table: 151.28 M, 149.62 M, 427.62 M, 427.94 M (logit_scale included).
        assertEquals(149_620_737L, ClipTensorLayout.parameterCount(ClipPresets.vitB16()));
        assertEquals(151_277_313L, ClipTensorLayout.parameterCount(ClipPresets.vitB32()));
        assertEquals(427_616_513L, ClipTensorLayout.parameterCount(ClipPresets.vitL14()));
        assertEquals(427_944_193L, ClipTensorLayout.parameterCount(ClipPresets.byName("ViT-L-14-336")));
        for (String name : ClipPresets.names()) {
            ClipModelConfig c = ClipPresets.byName(name);
            assertEquals(count(c, StateDictNaming.OPENAI), count(c, StateDictNaming.HUGGING_FACE), name);
        }
    }

    @Test
    void openAiShapesOfViTB16() {
        Map<String, long[]> s = shapes(ClipPresets.vitB16(), StateDictNaming.OPENAI);
        assertArrayEquals(new long[]{768, 3, 16, 16}, s.get("visual.conv1.weight"));
        assertArrayEquals(new long[]{197, 768}, s.get("visual.positional_embedding"));
        assertArrayEquals(new long[]{768, 512}, s.get("visual.proj"));
        assertArrayEquals(new long[]{2304, 768}, s.get("visual.transformer.resblocks.11.attn.in_proj_weight"));
        assertArrayEquals(new long[]{3072, 768}, s.get("visual.transformer.resblocks.0.mlp.c_fc.weight"));
        assertArrayEquals(new long[]{768, 3072}, s.get("visual.transformer.resblocks.0.mlp.c_proj.weight"));
        assertArrayEquals(new long[]{49408, 512}, s.get("token_embedding.weight"));
        assertArrayEquals(new long[]{77, 512}, s.get("positional_embedding"));
        assertArrayEquals(new long[]{512, 512}, s.get("text_projection"));
        assertArrayEquals(new long[]{1536}, s.get("transformer.resblocks.11.attn.in_proj_bias"));
        assertArrayEquals(new long[]{}, s.get("logit_scale"));
        assertFalse(s.containsKey("visual.transformer.resblocks.12.ln_1.weight"));
        // 12 + 12 blocks of 12 tensors, plus 14 others.
        assertEquals(24 * 12 + 14, s.size());
    }

    @Test
    void huggingFaceShapesOfViTL14() {
        Map<String, long[]> s = shapes(ClipPresets.vitL14(), StateDictNaming.HUGGING_FACE);
        assertArrayEquals(new long[]{768, 1024}, s.get("visual_projection.weight")); // Linear [out, in]
        assertArrayEquals(new long[]{768, 768}, s.get("text_projection.weight"));
        assertArrayEquals(new long[]{1024, 1024}, s.get("vision_model.encoder.layers.23.self_attn.q_proj.weight"));
        assertArrayEquals(new long[]{257, 1024}, s.get("vision_model.embeddings.position_embedding.weight"));
        assertArrayEquals(new long[]{1024}, s.get("vision_model.pre_layrnorm.bias"));
        assertArrayEquals(new long[]{1024}, s.get("vision_model.embeddings.class_embedding"));
        assertArrayEquals(new long[]{3072, 768}, s.get("text_model.encoder.layers.0.mlp.fc1.weight"));
        assertTrue(ClipTensorLayout.ignorable(StateDictNaming.HUGGING_FACE).contains("text_model.embeddings.position_ids"));
    }

    private static List<TensorInfo> asFound(ClipModelConfig c, StateDictNaming naming) {
        List<TensorInfo> out = new ArrayList<>();
        long offset = 0;
        for (ClipTensorLayout.Entry e : ClipTensorLayout.expected(c, naming)) {
            long bytes = e.elementCount() * 4;
            out.add(new TensorInfo(e.name(), SafetensorsDtype.F32, e.shape(), offset, offset + bytes));
            offset += bytes;
        }
        return out;
    }

    @Test
    void validatorReportsEveryMismatchByName() {
        ClipModelConfig c = ClipPresets.vitB16();
        assertTrue(StateDictValidator.validate(asFound(c, StateDictNaming.OPENAI), c, StateDictNaming.OPENAI).ok());
        List<TensorInfo> found = new ArrayList<>();
        for (TensorInfo t : asFound(c, StateDictNaming.OPENAI)) {
            switch (t.name()) {
                case "ln_final.bias" -> { } // missing
                case "visual.proj" -> found.add(new TensorInfo(t.name(), t.dtype(), new long[]{512, 768}, t.begin(), t.end()));
                case "logit_scale" -> found.add(new TensorInfo(t.name(), SafetensorsDtype.I32, t.shape(), t.begin(), t.end()));
                default -> found.add(t);
            }
        }
        found.add(new TensorInfo("visual.attnpool.k_proj.weight", SafetensorsDtype.F32, new long[]{1}, 0, 4));
        found.add(new TensorInfo("input_resolution", SafetensorsDtype.I64, new long[]{}, 0, 8)); // ignorable
        StateDictValidator.Report r = StateDictValidator.validate(found, c, StateDictNaming.OPENAI);
        assertEquals(List.of("ln_final.bias"), r.missing());
        assertEquals(List.of("visual.attnpool.k_proj.weight"), r.unexpected());
        assertEquals(List.of("visual.proj expected [768, 512] found [512, 768]"), r.wrongShape());
        assertEquals(List.of("logit_scale is I32"), r.unreadable());
        UserFacingException e = assertThrows(UserFacingException.class, () -> r.requireOk("ckpt.safetensors"));
        assertEquals("ckpt.safetensors does not match the model config: 1 missing: ln_final.bias; 1 unexpected: "
                + "visual.attnpool.k_proj.weight; 1 wrong shape: visual.proj expected [768, 512] found [512, 768]; "
                + "1 unsupported dtype: logit_scale is I32", e.getMessage());
    }

    @Test
    void theWrongNamingOrDepthListsManyNamesThenCounts() {
        ClipModelConfig b16 = ClipPresets.vitB16();
        StateDictValidator.Report r = StateDictValidator.validate(asFound(b16, StateDictNaming.HUGGING_FACE), b16,
                StateDictNaming.OPENAI);
        assertEquals(24 * 12 + 14 - 1, r.missing().size()); // logit_scale is named alike in both
        assertTrue(r.describe().contains("301 missing: visual.class_embedding, "), r.describe());
        assertTrue(r.describe().contains(" and 293 more"), r.describe());
        assertEquals(24 * 16 + 14 - 1, r.unexpected().size());
        ClipModelConfig shallower = new ClipModelConfig(224, 16, 768, 11, 12, 77, 49408, 512, 12, 8, 512, 2.0, 1);
        StateDictValidator.Report deeper = StateDictValidator.validate(asFound(b16, StateDictNaming.OPENAI), shallower,
                StateDictNaming.OPENAI);
        assertEquals(12, deeper.unexpected().size());
        assertTrue(deeper.unexpected().stream().allMatch(n -> n.startsWith("visual.transformer.resblocks.11.")));
    }

    @Test
    void namingIsDetectedFromThePatchEmbedding() {
        ClipModelConfig c = ClipPresets.vitB32();
        assertEquals(StateDictNaming.OPENAI, StateDictNaming.detect(
                shapes(c, StateDictNaming.OPENAI).keySet(), "a"));
        assertEquals(StateDictNaming.HUGGING_FACE, StateDictNaming.detect(
                shapes(c, StateDictNaming.HUGGING_FACE).keySet(), "b"));
        String m = assertThrows(UserFacingException.class,
                () -> StateDictNaming.detect(List.of("model.layer1.weight", "fc.bias"), "rn.safetensors")).getMessage();
        assertTrue(m.contains("rn.safetensors is not a CLIP ViT state dict") && m.contains("fc.bias"), m);
    }
}
