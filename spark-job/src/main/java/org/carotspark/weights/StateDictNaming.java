package org.carotspark.weights;

import org.carotspark.config.UserFacingException;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The two ways published CLIP state dicts name their tensors: OpenAI's (also open_clip's:
 * {@code visual.conv1.weight}, {@code transformer.resblocks.N...}, projections [in, out] applied as
 * x @ W) and Hugging Face transformers' {@code CLIPModel} ({@code vision_model...},
 * {@code text_model...}, q/k/v split, projections as Linear [out, in]).
 */
public enum StateDictNaming {
    OPENAI("visual.conv1.weight"),
    HUGGING_FACE("vision_model.embeddings.patch_embedding.weight");

    private final String marker;

    StateDictNaming(String marker) {
        this.marker = marker;
    }

    /** A tensor every state dict in this naming has. */
    public String marker() {
        return marker;
    }

    /** The naming of a state dict, told by its patch-embedding tensor; {@code source} names it in errors. */
    public static StateDictNaming detect(Collection<String> names, String source) {
        boolean openAi = names.contains(OPENAI.marker);
        boolean hf = names.contains(HUGGING_FACE.marker);
        if (openAi && !hf) {
            return OPENAI;
        }
        if (hf && !openAi) {
            return HUGGING_FACE;
        }
        String sample = names.stream().sorted().limit(5).collect(Collectors.joining(", "));
        throw new UserFacingException(source + (openAi
                ? " mixes OpenAI and Hugging Face tensor names"
                : " is not a CLIP ViT state dict in OpenAI/open_clip or Hugging Face naming: it has neither "
                        + OPENAI.marker + " nor " + HUGGING_FACE.marker + " (first names: " + sample + ")"));
    }
}
