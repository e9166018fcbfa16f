package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.ClipReferenceFixture;
import org.carotspark.model.MlpActivation;
import org.carotspark.weights.ClipModelConfigJson.Parsed;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipModelConfigJsonTest {

    /** open_clip's model_configs/ViT-B-16.json as published. */
    private static final String OPEN_CLIP_VIT_B_16 = """
            {
                "embed_dim": 512,
                "vision_cfg": {"image_size": 224, "layers": 12, "width": 768, "patch_size": 16},
                "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 512, "heads": 8, "layers": 12}
            }""";

    /** The shape-relevant part of openai/clip-vit-base-patch16's config.json. */
    private static final String HF_VIT_B_16 = """
            {
              "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512,
              "logit_scale_init_value": 2.6592, "initializer_factor": 1.0,
              "text_config": {"hidden_size": 512, "intermediate_size": 2048, "num_attention_heads": 8,
                "num_hidden_layers": 12, "max_position_embeddings": 77, "vocab_size": 49408,
                "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05, "dropout": 0.0, "bos_token_id": 0,
                "eos_token_id": 2, "do_sample": false, "_name_or_path": ""},
              "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
                "num_hidden_layers": 12, "image_size": 224, "patch_size": 16, "hidden_act": "quick_gelu",
                "layer_norm_eps": 1e-05, "num_channels": 3, "attention_dropout": 0.0}
            }""";

    @Test
    void openClipConfigOfViTB16() {
        Parsed p = ClipModelConfigJson.parseOpenClip(OPEN_CLIP_VIT_B_16, "ViT-B-16.json");
        assertEquals(ClipPresets.vitB16().withActivation(MlpActivation.GELU), p.config());
        assertEquals(12, p.config().visionHeads()); // 768 / head_width 64
        assertEquals(MlpActivation.GELU, p.activation()); // open_clip's default unless quick_gelu is set
        Parsed hub = ClipModelConfigJson.parseOpenClip("{\"model_cfg\": " + OPEN_CLIP_VIT_B_16.replace("\"embed_dim\": 512,",
                "\"embed_dim\": 512, \"quick_gelu\": true,") + ", \"preprocess_cfg\": {\"mean\": [0.5]}}", "hub");
        assertEquals(ClipPresets.vitB16(), hub.config());
        assertEquals(MlpActivation.QUICK_GELU, hub.activation());
    }

    @Test
    void openClipDefaultsAndDefaultValuedOptions() {
        Parsed p = ClipModelConfigJson.parseOpenClip("""
                {"embed_dim": 768, "quick_gelu": true,
                 "vision_cfg": {"image_size": [224, 224], "layers": 24, "width": 1024, "patch_size": 14,
                                "ls_init_value": null, "patch_dropout": 0.0, "pool_type": "tok", "timm_pool": "avg"},
                 "text_cfg": {"width": 768, "heads": 12, "mlp_ratio": 4.0, "hf_proj_type": "mlp"}}""", "L14");
        assertEquals(ClipPresets.vitL14(), p.config());
        assertEquals(16, p.config().visionHeads());
    }

    @Test
    void unsupportedOpenClipOptionsAreNamed() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseOpenClip("""
                {"embed_dim": 1024, "custom_text": true, "shiny": 1,
                 "vision_cfg": {"image_size": 224, "layers": [3, 4, 6, 3], "width": 64, "mlp_ratio": 4.9231},
                 "text_cfg": {"hf_model_name": "roberta-base", "pool_type": "last"}}""", "weird.json"));
        String m = e.getMessage();
        for (String s : new String[]{"weird.json", "custom_text = true", "unknown key shiny", "ResNet",
                "vision_cfg.mlp_ratio = 4.9231", "text_cfg.hf_model_name = \"roberta-base\"", "text_cfg.pool_type = \"last\""}) {
            assertTrue(m.contains(s), "'" + s + "' in: " + m);
        }
        assertTrue(assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseOpenClip(
                "{\"embed_dim\": 8, \"vision_cfg\": {\"width\": 100, \"head_width\": 64}}", "x")).getMessage()
                .contains("head_width 64 does not divide vision_cfg.width 100"));
        assertTrue(assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseOpenClip(
                "{\"embed_dim\": 8, \"vision_cfg\": {\"image_size\": 100, \"patch_size\": 16}}", "x")).getMessage()
                .contains("inconsistent"));
        assertTrue(assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseOpenClip("{\"embed_dim\":",
                "broken.json")).getMessage().contains("broken.json is not valid JSON"));
        assertTrue(assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseOpenClip("{}", "e"))
                .getMessage().contains("no embed_dim"));
    }

    @Test
    void huggingFaceConfigOfViTB16() {
        Parsed p = ClipModelConfigJson.parseHuggingFace(HF_VIT_B_16, "config.json");
        assertEquals(MlpActivation.QUICK_GELU, p.activation());
        assertEquals(2.6592, p.config().initLogitScale());
        assertEquals(ClipModelConfigJson.toOpenClipJson(ClipPresets.vitB16(), MlpActivation.QUICK_GELU),
                ClipModelConfigJson.toOpenClipJson(p.config(), p.activation()));
        // An empty config is transformers' defaults: ViT-B/32.
        Parsed defaults = ClipModelConfigJson.parseHuggingFace("{\"vision_config_dict\": {}}", "empty");
        assertEquals(ClipModelConfigJson.toOpenClipJson(ClipPresets.vitB32(), MlpActivation.QUICK_GELU),
                ClipModelConfigJson.toOpenClipJson(defaults.config(), defaults.activation()));
    }

    @Test
    void unsupportedHuggingFaceOptionsAreNamed() {
        assertTrue(assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseHuggingFace(
                "{\"model_type\": \"siglip\"}", "c.json")).getMessage().contains("model_type 'siglip', not 'clip'"));
        String bad = HF_VIT_B_16.replace("\"intermediate_size\": 3072", "\"intermediate_size\": 4096")
                .replace("\"hidden_act\": \"quick_gelu\", \"layer_norm_eps\": 1e-05, \"dropout\"",
                        "\"hidden_act\": \"relu\", \"layer_norm_eps\": 1e-06, \"dropout\"");
        String m = assertThrows(UserFacingException.class, () -> ClipModelConfigJson.parseHuggingFace(bad, "c.json")).getMessage();
        for (String s : new String[]{"vision_config.intermediate_size = 4096", "text_config.hidden_act = 'relu'",
                "text_config.layer_norm_eps = 1.0E-6"}) {
            assertTrue(m.contains(s), "'" + s + "' in: " + m);
        }
    }

    @Test
    void openClipJsonRoundTripsEveryPreset() {
        for (String name : ClipPresets.names()) {
            ClipModelConfig c = ClipPresets.byName(name);
            for (MlpActivation a : MlpActivation.values()) {
                Parsed p = ClipModelConfigJson.parseOpenClip(ClipModelConfigJson.toOpenClipJson(c, a), name);
                assertEquals(c.withActivation(a), p.config(), name);
                assertEquals(a, p.activation(), name);
                assertEquals(a, p.config().activation(), name + ": the config carries it to the graph");
                Parsed hub = ClipModelConfigJson.parseOpenClip(ClipModelConfigJson.toOpenClipHubJson(c, a), name);
                assertEquals(c.withActivation(a), hub.config(), name);
            }
        }
        assertTrue(ClipModelConfigJson.toOpenClipHubJson(ClipPresets.vitB16(), MlpActivation.QUICK_GELU)
                .contains("0.48145466"));
    }

    @Test
    void presetsByEitherSpelling() {
        assertEquals(ClipPresets.vitB16(), ClipPresets.byName("vit-b/16"));
        assertEquals(ClipPresets.vitL14(), ClipPresets.byName("ViT-L-14"));
        assertEquals(336, ClipPresets.byName("ViT-L/14-336").imageSize());
        assertTrue(assertThrows(UserFacingException.class, () -> ClipPresets.byName("RN50")).getMessage()
                .contains("known: ViT-B-32, ViT-B-16, ViT-L-14, ViT-L-14-336"));
    }

    @Test
    void bothFixtureConfigsDescribeTheSameTinyModel() {
        Parsed openClip = ClipModelConfigJson.readOpenClip(ClipReferenceFixture.dir().resolve("openclip/open_clip_config.json"));
        Parsed hf = ClipModelConfigJson.readHuggingFace(ClipReferenceFixture.dir().resolve("hf/config.json"));
        assertEquals(MlpActivation.QUICK_GELU, openClip.activation());
        assertEquals(ClipModelConfigJson.toOpenClipJson(openClip.config(), openClip.activation()),
                ClipModelConfigJson.toOpenClipJson(hf.config(), hf.activation()));
        ClipModelConfig c = openClip.config();
        assertEquals(16, c.visionWidth());
        assertEquals(2, c.visionHeads());
        assertEquals(12, c.textWidth());
        assertEquals(10, c.embedDim());
        assertEquals(16, c.contextLength());
    }
}
