package org.carotspark.weights;

import org.carotspark.model.ClipModelConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Every tensor a CLIP ViT state dict holds for a given {@link ClipModelConfig}, with its shape, in
 * either {@link StateDictNaming}. W = vision width, T = text width, E = embed dim, g = image/patch,
 * C = context length, V = vocabulary size. OpenAI naming keeps PyTorch's layouts (Linear weights
 * [out, in], packed {@code in_proj_weight} [3W, W] = q, k, v stacked; {@code visual.proj} [W, E] and
 * {@code text_projection} [T, E] applied as x @ W); Hugging Face splits q/k/v and stores the two
 * projections as Linear weights [E, W] and [E, T]. {@code logit_scale} is a scalar (shape []).
 */
public final class ClipTensorLayout {

    /** Name and shape of one expected tensor. */
    public record Entry(String name, long[] shape) {
        public long elementCount() {
            return TensorInfo.elementCount(shape);
        }
    }

    /** Tensors some checkpoints carry that hold no parameters: safe to ignore. */
    private static final Set<String> OPENAI_BUFFERS = Set.of("input_resolution", "context_length", "vocab_size");
    private static final Set<String> HF_BUFFERS = Set.of("text_model.embeddings.position_ids",
            "vision_model.embeddings.position_ids");

    private ClipTensorLayout() {
    }

    public static List<Entry> expected(ClipModelConfig c, StateDictNaming naming) {
        List<Entry> out = new ArrayList<>();
        if (naming == StateDictNaming.OPENAI) {
            openAi(c, out);
        } else {
            huggingFace(c, out);
        }
        return Collections.unmodifiableList(out);
    }

    /** Non-parameter tensors the naming's checkpoints may carry (OpenAI's JIT-era scalars, HF's int64 position_ids). */
    public static Set<String> ignorable(StateDictNaming naming) {
        return naming == StateDictNaming.OPENAI ? OPENAI_BUFFERS : HF_BUFFERS;
    }

    /** Learnable parameters of the model (both namings count the same). */
    public static long parameterCount(ClipModelConfig c) {
        long n = 0;
        for (Entry e : expected(c, StateDictNaming.OPENAI)) {
            n += e.elementCount();
        }
        return n;
    }

    private static void openAi(ClipModelConfig c, List<Entry> out) {
        long w = c.visionWidth();
        long t = c.textWidth();
        long e = c.embedDim();
        long p = c.patchSize();
        add(out, "visual.class_embedding", w);
        add(out, "visual.positional_embedding", c.numPatches() + 1, w);
        add(out, "visual.proj", w, e);
        add(out, "visual.conv1.weight", w, 3, p, p);
        layerNorm(out, "visual.ln_pre", w);
        for (int i = 0; i < c.visionLayers(); i++) {
            openAiBlock(out, "visual.transformer.resblocks." + i + ".", w);
        }
        layerNorm(out, "visual.ln_post", w);
        add(out, "positional_embedding", c.contextLength(), t);
        add(out, "text_projection", t, e);
        add(out, "logit_scale");
        add(out, "token_embedding.weight", c.vocabSize(), t);
        for (int i = 0; i < c.textLayers(); i++) {
            openAiBlock(out, "transformer.resblocks." + i + ".", t);
        }
        layerNorm(out, "ln_final", t);
    }

    private static void openAiBlock(List<Entry> out, String prefix, long w) {
        add(out, prefix + "attn.in_proj_weight", 3 * w, w);
        add(out, prefix + "attn.in_proj_bias", 3 * w);
        linear(out, prefix + "attn.out_proj", w, w);
        layerNorm(out, prefix + "ln_1", w);
        linear(out, prefix + "mlp.c_fc", 4 * w, w);
        linear(out, prefix + "mlp.c_proj", w, 4 * w);
        layerNorm(out, prefix + "ln_2", w);
    }

    private static void huggingFace(ClipModelConfig c, List<Entry> out) {
        long w = c.visionWidth();
        long t = c.textWidth();
        long e = c.embedDim();
        long p = c.patchSize();
        add(out, "text_model.embeddings.token_embedding.weight", c.vocabSize(), t);
        add(out, "text_model.embeddings.position_embedding.weight", c.contextLength(), t);
        for (int i = 0; i < c.textLayers(); i++) {
            hfBlock(out, "text_model.encoder.layers." + i + ".", t);
        }
        layerNorm(out, "text_model.final_layer_norm", t);
        add(out, "vision_model.embeddings.class_embedding", w);
        add(out, "vision_model.embeddings.patch_embedding.weight", w, 3, p, p);
        add(out, "vision_model.embeddings.position_embedding.weight", c.numPatches() + 1, w);
        layerNorm(out, "vision_model.pre_layrnorm", w); // sic: transformers' spelling
        for (int i = 0; i < c.visionLayers(); i++) {
            hfBlock(out, "vision_model.encoder.layers." + i + ".", w);
        }
        layerNorm(out, "vision_model.post_layernorm", w);
        add(out, "visual_projection.weight", e, w);
        add(out, "text_projection.weight", e, t);
        add(out, "logit_scale");
    }

    private static void hfBlock(List<Entry> out, String prefix, long w) {
        for (String proj : new String[]{"k_proj", "v_proj", "q_proj", "out_proj"}) {
            linear(out, prefix + "self_attn." + proj, w, w);
        }
        layerNorm(out, prefix + "layer_norm1", w);
        linear(out, prefix + "mlp.fc1", 4 * w, w);
        linear(out, prefix + "mlp.fc2", w, 4 * w);
        layerNorm(out, prefix + "layer_norm2", w);
    }

    /** A PyTorch Linear: weight [out, in], bias [out]. */
    private static void linear(List<Entry> out, String prefix, long outFeatures, long inFeatures) {
        add(out, prefix + ".weight", outFeatures, inFeatures);
        add(out, prefix + ".bias", outFeatures);
    }

    private static void layerNorm(List<Entry> out, String prefix, long width) {
        add(out, prefix + ".weight", width);
        add(out, prefix + ".bias", width);
    }

    private static void add(List<Entry> out, String name, long... shape) {
        out.add(new Entry(name, shape));
    }
}
