package org.carotspark.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.carotspark.config.UserFacingException;
import org.carotspark.image.ClipNormalization;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.MlpActivation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CLIP model configs as the hubs publish them, read into {@link ClipModelConfig}: open_clip's JSON
 * ({@code embed_dim}, {@code vision_cfg}, {@code text_cfg}; bare as in open_clip's
 * {@code model_configs/*.json}, or wrapped in {@code model_cfg} as in a hub's
 * {@code open_clip_config.json}) and Hugging Face's {@code CLIPModel} {@code config.json}. Missing
 * fields take the defaults of open_clip's {@code CLIPVisionCfg}/{@code CLIPTextCfg} and of
 * transformers' {@code CLIPVisionConfig}/{@code CLIPTextConfig}. Options this project's ViT CLIP does
 * not implement (ResNet or timm/HF towers, layer scale, other pooling, MLP ratios other than 4, ...)
 * are refused by name rather than silently ignored.
 */
public final class ClipModelConfigJson {

    /**
     * A parsed config: the architecture, its MLP activation included (OpenAI's weights use QuickGELU, open_clip's own
     * models GELU), and that activation again for the callers that name it.
     */
    public record Parsed(ClipModelConfig config, MlpActivation activation) {
        public Parsed {
            config = config.withActivation(activation);
        }
    }

    /** The seed given to parsed configs (it only matters for random initialisation); use {@code withSeed} to change it. */
    public static final long DEFAULT_SEED = 42;
    private static final double HF_LOGIT_SCALE_INIT = 2.6592;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Stands for JSON null in the default tables (Map.of takes no nulls). */
    private static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** open_clip keys accepted only at their default value (open_clip's dataclass defaults). */
    private static final Map<String, Object> VISION_DEFAULT_ONLY = Map.ofEntries(
            Map.entry("mlp_ratio", 4.0), Map.entry("ls_init_value", NULL), Map.entry("patch_dropout", 0.0),
            Map.entry("attentional_pool", false), Map.entry("no_ln_pre", false),
            Map.entry("pos_embed_type", "learnable"), Map.entry("final_ln_after_pool", false),
            Map.entry("pool_type", "tok"), Map.entry("output_tokens", false), Map.entry("act_kwargs", NULL),
            Map.entry("norm_kwargs", NULL), Map.entry("timm_model_name", NULL), Map.entry("global_average_pool", false),
            Map.entry("input_patchnorm", false));
    /** Settings of towers or poolers that only exist when a default-only key above selects them. */
    private static final Set<String> VISION_INERT = Set.of("attn_pooler_queries", "attn_pooler_heads",
            "timm_model_pretrained", "timm_pool", "timm_proj", "timm_proj_bias", "timm_drop", "timm_drop_path");
    private static final Map<String, Object> TEXT_DEFAULT_ONLY = Map.ofEntries(
            Map.entry("mlp_ratio", 4.0), Map.entry("ls_init_value", NULL), Map.entry("embed_cls", false),
            Map.entry("pad_id", 0), Map.entry("no_causal_mask", false), Map.entry("final_ln_after_pool", false),
            Map.entry("pool_type", "argmax"), Map.entry("proj_bias", false), Map.entry("output_tokens", false),
            Map.entry("act_kwargs", NULL), Map.entry("norm_kwargs", NULL), Map.entry("hf_model_name", NULL),
            Map.entry("hf_tokenizer_name", NULL), Map.entry("tokenizer_kwargs", NULL), Map.entry("proj_type", "linear"));
    private static final Set<String> TEXT_INERT = Set.of("hf_model_pretrained", "hf_proj_type", "hf_pooler_type",
            "proj", "pooler_type");
    private static final Map<String, Object> TOP_DEFAULT_ONLY = Map.of("custom_text", false,
            "init_logit_bias", NULL, "nonscalar_logit_scale", false, "multimodal_cfg", NULL);
    private static final Set<String> TOP_INERT = Set.of("cast_dtype", "output_dict", "init_logit_scale");

    private ClipModelConfigJson() {
    }

    // ------------------------------------------------------------------------------ open_clip

    public static Parsed readOpenClip(Path file) {
        return parseOpenClip(readJson(file), file.toString());
    }

    /** open_clip's model config, bare or wrapped in {@code model_cfg}; {@code source} names it in errors. */
    public static Parsed parseOpenClip(String json, String source) {
        return parseOpenClip(parseJson(json, source), source);
    }

    private static Parsed parseOpenClip(JsonNode root, String source) {
        JsonNode cfg = root.has("model_cfg") ? root.get("model_cfg") : root;
        requireObject(cfg, source, "the model config");
        List<String> problems = new ArrayList<>();
        JsonNode vision = objectOrEmpty(cfg, "vision_cfg", source);
        JsonNode text = objectOrEmpty(cfg, "text_cfg", source);
        checkOptions(cfg, "", Set.of("embed_dim", "quick_gelu", "vision_cfg", "text_cfg"), TOP_DEFAULT_ONLY, TOP_INERT, problems);
        checkOptions(vision, "vision_cfg.", Set.of("image_size", "layers", "width", "patch_size", "head_width"),
                VISION_DEFAULT_ONLY, VISION_INERT, problems);
        checkOptions(text, "text_cfg.", Set.of("context_length", "vocab_size", "width", "heads", "layers"),
                TEXT_DEFAULT_ONLY, TEXT_INERT, problems);
        if (vision.has("layers") && !vision.get("layers").isIntegralNumber()) {
            problems.add("vision_cfg.layers = " + vision.get("layers") + " (a ResNet image tower; only ViT towers are supported)");
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException("open_clip config " + source + " uses options this CLIP does not implement: "
                    + String.join("; ", problems));
        }
        if (!cfg.has("embed_dim")) {
            throw new UserFacingException("open_clip config " + source + " has no embed_dim");
        }
        int width = intField(vision, "width", 768, source);
        int headWidth = intField(vision, "head_width", 64, source);
        if (headWidth <= 0 || width % headWidth != 0) {
            throw new UserFacingException("open_clip config " + source + ": vision_cfg.head_width " + headWidth
                    + " does not divide vision_cfg.width " + width);
        }
        double logitScale = cfg.has("init_logit_scale") ? cfg.get("init_logit_scale").asDouble()
                : ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE;
        ClipModelConfig model = build(source, () -> new ClipModelConfig(
                imageSize(vision, source), intField(vision, "patch_size", 16, source), width,
                intField(vision, "layers", 12, source), width / headWidth,
                intField(text, "context_length", 77, source), intField(text, "vocab_size", 49408, source),
                intField(text, "width", 512, source), intField(text, "layers", 12, source),
                intField(text, "heads", 8, source), intField(cfg, "embed_dim", 0, source), logitScale, DEFAULT_SEED));
        boolean quickGelu = cfg.has("quick_gelu") && cfg.get("quick_gelu").asBoolean();
        return new Parsed(model, quickGelu ? MlpActivation.QUICK_GELU : MlpActivation.GELU);
    }

    /** open_clip's model config JSON (the {@code model_configs/*.json} form). */
    public static String toOpenClipJson(ClipModelConfig c, MlpActivation activation) {
        return write(openClipModelCfg(c, activation));
    }

    /** A hub's {@code open_clip_config.json}: the model config under {@code model_cfg} plus CLIP's preprocessing. */
    public static String toOpenClipHubJson(ClipModelConfig c, MlpActivation activation) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("model_cfg", openClipModelCfg(c, activation));
        ObjectNode pre = root.putObject("preprocess_cfg");
        pre.set("mean", MAPPER.valueToTree(ClipNormalization.MEAN));
        pre.set("std", MAPPER.valueToTree(ClipNormalization.STD));
        pre.put("interpolation", "bicubic");
        pre.put("resize_mode", "shortest");
        return write(root);
    }

    private static ObjectNode openClipModelCfg(ClipModelConfig c, MlpActivation activation) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("embed_dim", c.embedDim());
        if (activation == MlpActivation.QUICK_GELU) {
            root.put("quick_gelu", true);
        }
        ObjectNode v = root.putObject("vision_cfg");
        v.put("image_size", c.imageSize());
        v.put("layers", c.visionLayers());
        v.put("width", c.visionWidth());
        v.put("head_width", c.visionWidth() / c.visionHeads());
        v.put("patch_size", c.patchSize());
        ObjectNode t = root.putObject("text_cfg");
        t.put("context_length", c.contextLength());
        t.put("vocab_size", c.vocabSize());
        t.put("width", c.textWidth());
        t.put("heads", c.textHeads());
        t.put("layers", c.textLayers());
        return root;
    }

    // ------------------------------------------------------------------------------ Hugging Face

    public static Parsed readHuggingFace(Path file) {
        return parseHuggingFace(readJson(file), file.toString());
    }

    /** transformers' {@code CLIPModel} config.json; {@code source} names it in errors. */
    public static Parsed parseHuggingFace(String json, String source) {
        return parseHuggingFace(parseJson(json, source), source);
    }

    private static Parsed parseHuggingFace(JsonNode root, String source) {
        requireObject(root, source, "the config");
        if (root.has("model_type") && !"clip".equals(root.get("model_type").asText())) {
            throw new UserFacingException("Hugging Face config " + source + " is model_type '"
                    + root.get("model_type").asText() + "', not 'clip'");
        }
        JsonNode text = hfSubConfig(root, "text_config", source);
        JsonNode vision = hfSubConfig(root, "vision_config", source);
        List<String> problems = new ArrayList<>();
        MlpActivation textAct = hfTowerChecks(text, "text_config", 512, 2048, problems);
        MlpActivation visionAct = hfTowerChecks(vision, "vision_config", 768, 3072, problems);
        if (vision.has("num_channels") && vision.get("num_channels").asInt() != 3) {
            problems.add("vision_config.num_channels = " + vision.get("num_channels") + " (RGB only)");
        }
        if (textAct != null && visionAct != null && textAct != visionAct) {
            problems.add("the towers use different activations (" + textAct + " vs " + visionAct + ")");
        }
        if (!problems.isEmpty()) {
            throw new UserFacingException("Hugging Face config " + source + " uses options this CLIP does not implement: "
                    + String.join("; ", problems));
        }
        ClipModelConfig model = build(source, () -> new ClipModelConfig(
                intField(vision, "image_size", 224, source), intField(vision, "patch_size", 32, source),
                intField(vision, "hidden_size", 768, source), intField(vision, "num_hidden_layers", 12, source),
                intField(vision, "num_attention_heads", 12, source),
                intField(text, "max_position_embeddings", 77, source), intField(text, "vocab_size", 49408, source),
                intField(text, "hidden_size", 512, source), intField(text, "num_hidden_layers", 12, source),
                intField(text, "num_attention_heads", 8, source), intField(root, "projection_dim", 512, source),
                root.has("logit_scale_init_value") ? root.get("logit_scale_init_value").asDouble() : HF_LOGIT_SCALE_INIT,
                DEFAULT_SEED));
        return new Parsed(model, textAct);
    }

    /** text_config (or the older text_config_dict); absent means all defaults. */
    private static JsonNode hfSubConfig(JsonNode root, String key, String source) {
        JsonNode n = root.has(key) && !root.get(key).isNull() ? root.get(key) : root.get(key + "_dict");
        if (n == null || n.isNull()) {
            return MAPPER.createObjectNode();
        }
        requireObject(n, source, key);
        return n;
    }

    /** Checks one tower's settings that change the computation; returns its activation (null if unsupported). */
    private static MlpActivation hfTowerChecks(JsonNode tower, String name, int defaultWidth, int defaultMlp,
                                            List<String> problems) {
        int width = tower.has("hidden_size") ? tower.get("hidden_size").asInt() : defaultWidth;
        int mlp = tower.has("intermediate_size") ? tower.get("intermediate_size").asInt() : defaultMlp;
        if (mlp != 4 * width) {
            problems.add(name + ".intermediate_size = " + mlp + " (the MLP must be 4 x hidden_size = " + 4 * width + ")");
        }
        if (tower.has("layer_norm_eps") && Math.abs(tower.get("layer_norm_eps").asDouble() - 1e-5) > 1e-12) {
            problems.add(name + ".layer_norm_eps = " + tower.get("layer_norm_eps") + " (1e-5 only)");
        }
        for (String dropout : new String[]{"dropout", "attention_dropout"}) {
            if (tower.has(dropout) && tower.get(dropout).asDouble() != 0.0) {
                problems.add(name + "." + dropout + " = " + tower.get(dropout) + " (no dropout in this CLIP)");
            }
        }
        String act = tower.has("hidden_act") ? tower.get("hidden_act").asText() : "quick_gelu";
        switch (act) {
            case "quick_gelu":
                return MlpActivation.QUICK_GELU;
            case "gelu":
                return MlpActivation.GELU;
            default:
                problems.add(name + ".hidden_act = '" + act + "' (quick_gelu or gelu)");
                return null;
        }
    }

    // ------------------------------------------------------------------------------ shared

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("model config not found: " + file);
        }
        try {
            return parseJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UserFacingException("cannot read model config " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parseJson(String json, String source) {
        try {
            JsonNode n = MAPPER.readTree(json);
            requireObject(n, source, "the file");
            return n;
        } catch (JsonProcessingException e) {
            throw new UserFacingException("model config " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static void requireObject(JsonNode n, String source, String what) {
        if (n == null || !n.isObject()) {
            throw new UserFacingException("model config " + source + ": " + what + " is not a JSON object");
        }
    }

    private static JsonNode objectOrEmpty(JsonNode cfg, String key, String source) {
        JsonNode n = cfg.get(key);
        if (n == null || n.isNull()) {
            return MAPPER.createObjectNode();
        }
        requireObject(n, source, key);
        return n;
    }

    private static void checkOptions(JsonNode node, String prefix, Set<String> supported, Map<String, Object> defaultOnly,
                                     Set<String> inert, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (supported.contains(key) || inert.contains(key)) {
                continue;
            }
            if (!defaultOnly.containsKey(key)) {
                problems.add("unknown key " + prefix + key);
            } else if (!isDefault(e.getValue(), defaultOnly.get(key))) {
                problems.add(prefix + key + " = " + e.getValue() + " (only " + defaultOnly.get(key) + ")");
            }
        }
    }

    private static boolean isDefault(JsonNode v, Object def) {
        if (def == NULL) {
            return v.isNull();
        }
        if (def instanceof Boolean b) {
            return v.isBoolean() && v.asBoolean() == b;
        }
        if (def instanceof Number n) {
            return v.isNumber() && v.asDouble() == n.doubleValue();
        }
        return v.isTextual() && v.asText().equals(def);
    }

    private static int imageSize(JsonNode vision, String source) {
        JsonNode n = vision.get("image_size");
        if (n != null && n.isArray()) {
            if (n.size() != 2 || n.get(0).asInt() != n.get(1).asInt()) {
                throw new UserFacingException("open_clip config " + source + ": vision_cfg.image_size " + n
                        + " is not square (only square images are supported)");
            }
            return n.get(0).asInt();
        }
        return intField(vision, "image_size", 224, source);
    }

    private static int intField(JsonNode node, String key, int defaultValue, String source) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) {
            return defaultValue;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new UserFacingException("model config " + source + ": " + key + " = " + n + " is not an integer");
        }
        return n.asInt();
    }

    private interface ConfigFactory {
        ClipModelConfig create();
    }

    /** ClipModelConfig's own checks (divisibility, positive sizes) reported against the file. */
    private static ClipModelConfig build(String source, ConfigFactory factory) {
        try {
            return factory.create();
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("model config " + source + " is inconsistent: " + e.getMessage());
        }
    }
}
