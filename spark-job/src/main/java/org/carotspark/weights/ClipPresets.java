package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipModelConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The published OpenAI CLIP ViT shapes (open_clip's {@code ViT-B-32}, {@code ViT-B-16},
 * {@code ViT-L-14}, {@code ViT-L-14-336} configs; OpenAI's weights use QuickGELU). Names are
 * matched case-insensitively in either spelling, {@code ViT-B-16} or {@code ViT-B/16}.
 */
public final class ClipPresets {

    private static final Map<String, ClipModelConfig> PRESETS = new LinkedHashMap<>();

    static {
        // image, patch, vision width/layers/heads (head width 64), context, vocab, text width/layers/heads, embed
        put("ViT-B-32", 224, 32, 768, 12, 12, 512, 12, 8, 512);
        put("ViT-B-16", 224, 16, 768, 12, 12, 512, 12, 8, 512);
        put("ViT-L-14", 224, 14, 1024, 24, 16, 768, 12, 12, 768);
        put("ViT-L-14-336", 336, 14, 1024, 24, 16, 768, 12, 12, 768);
    }

    private ClipPresets() {
    }

    private static void put(String name, int image, int patch, int vWidth, int vLayers, int vHeads, int tWidth,
                            int tLayers, int tHeads, int embed) {
        PRESETS.put(name, new ClipModelConfig(image, patch, vWidth, vLayers, vHeads, 77, 49408, tWidth, tLayers, tHeads,
                embed, ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, ClipModelConfigJson.DEFAULT_SEED));
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    public static ClipModelConfig vitB32() {
        return PRESETS.get("ViT-B-32");
    }

    public static ClipModelConfig vitB16() {
        return PRESETS.get("ViT-B-16");
    }

    public static ClipModelConfig vitL14() {
        return PRESETS.get("ViT-L-14");
    }

    public static ClipModelConfig byName(String name) {
        String wanted = name.trim().replace('/', '-').toLowerCase(Locale.ROOT);
        for (Map.Entry<String, ClipModelConfig> e : PRESETS.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
                return e.getValue();
            }
        }
        throw new UserFacingException("unknown CLIP preset '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}
