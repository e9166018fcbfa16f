package org.carotspark.model;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;
import java.util.Objects;

/**
 * CLIP architecture hyper-parameters ({@code carot.model.*}). Immutable and serialisable: the
 * driver ships it to executors. A plain class rather than a record so Kryo (Spark's
 * serialiser) can instantiate it.
 */
public final class ClipModelConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** ln(1/0.07), CLIP's initial log logit scale. */
    public static final double DEFAULT_INIT_LOGIT_SCALE = Math.log(1 / 0.07);

    private final int imageSize;
    private final int patchSize;
    private final int visionWidth;
    private final int visionLayers;
    private final int visionHeads;
    private final int contextLength;
    private final int vocabSize;
    private final int textWidth;
    private final int textLayers;
    private final int textHeads;
    private final int embedDim;
    private final double initLogitScale;
    private final long seed;
    private final MlpActivation activation;

    /** With OpenAI CLIP's QuickGELU MLPs. */
    public ClipModelConfig(int imageSize, int patchSize, int visionWidth, int visionLayers, int visionHeads,
                           int contextLength, int vocabSize, int textWidth, int textLayers, int textHeads,
                           int embedDim, double initLogitScale, long seed) {
        this(imageSize, patchSize, visionWidth, visionLayers, visionHeads, contextLength, vocabSize, textWidth,
                textLayers, textHeads, embedDim, initLogitScale, seed, MlpActivation.QUICK_GELU);
    }

    public ClipModelConfig(int imageSize, int patchSize, int visionWidth, int visionLayers, int visionHeads,
                           int contextLength, int vocabSize, int textWidth, int textLayers, int textHeads,
                           int embedDim, double initLogitScale, long seed, MlpActivation activation) {
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.imageSize = imageSize;
        this.patchSize = patchSize;
        this.visionWidth = visionWidth;
        this.visionLayers = visionLayers;
        this.visionHeads = visionHeads;
        this.contextLength = contextLength;
        this.vocabSize = vocabSize;
        this.textWidth = textWidth;
        this.textLayers = textLayers;
        this.textHeads = textHeads;
        this.embedDim = embedDim;
        this.initLogitScale = initLogitScale;
        this.seed = seed;
        validate();
    }

    /**
     * Reads {@code carot.model.*} (defaults in reference.conf); the vocabulary size is the tokenizer's,
     * which the token embedding must match.
     */
    public static ClipModelConfig fromConfig(Config config, int vocabSize) {
        Config c = config.getConfig("carot.model");
        try {
            return new ClipModelConfig(
                    c.getInt("image-size"), c.getInt("patch-size"),
                    c.getInt("vision-width"), c.getInt("vision-layers"), c.getInt("vision-heads"),
                    c.getInt("context-length"), vocabSize,
                    c.getInt("text-width"), c.getInt("text-layers"), c.getInt("text-heads"),
                    c.getInt("embed-dim"), c.getDouble("init-logit-scale"), c.getLong("seed"),
                    MlpActivation.parse(c.getString("activation")));
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("carot.model: " + e.getMessage());
        }
    }

    /** OpenAI CLIP ViT-B/16 (for loading real weights). */
    public static ClipModelConfig vitB16() {
        return new ClipModelConfig(224, 16, 768, 12, 12, 77, 49408, 512, 12, 8, 512, DEFAULT_INIT_LOGIT_SCALE, 42);
    }

    private void validate() {
        req(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
                "image-size (" + imageSize + ") must be a positive multiple of patch-size (" + patchSize + ")");
        req(visionWidth > 0 && visionHeads > 0 && visionWidth % visionHeads == 0,
                "vision-heads (" + visionHeads + ") must divide vision-width (" + visionWidth + ")");
        req(textWidth > 0 && textHeads > 0 && textWidth % textHeads == 0,
                "text-heads (" + textHeads + ") must divide text-width (" + textWidth + ")");
        req(visionLayers >= 0 && textLayers >= 0, "layer counts must be >= 0");
        req(contextLength >= 2, "context-length must be >= 2 (SOT and EOT), got " + contextLength);
        req(vocabSize >= 3, "vocab-size must be >= 3, got " + vocabSize);
        req(embedDim > 0, "embed-dim must be > 0");
        req(Double.isFinite(initLogitScale), "init-logit-scale must be finite");
    }

    private static void req(boolean ok, String msg) {
        if (!ok) {
            throw new IllegalArgumentException(msg); // named by its source: carot.model.* or a model directory's config
        }
    }

    public ClipModelConfig withSeed(long s) {
        return new ClipModelConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads, contextLength,
                vocabSize, textWidth, textLayers, textHeads, embedDim, initLogitScale, s, activation);
    }

    public ClipModelConfig withActivation(MlpActivation a) {
        return new ClipModelConfig(imageSize, patchSize, visionWidth, visionLayers, visionHeads, contextLength,
                vocabSize, textWidth, textLayers, textHeads, embedDim, initLogitScale, seed, a);
    }

    /** Number of image patches (grid side squared). */
    public int numPatches() {
        int g = imageSize / patchSize;
        return g * g;
    }

    public int imageSize() { return imageSize; }
    public int patchSize() { return patchSize; }
    public int visionWidth() { return visionWidth; }
    public int visionLayers() { return visionLayers; }
    public int visionHeads() { return visionHeads; }
    public int contextLength() { return contextLength; }
    public int vocabSize() { return vocabSize; }
    public int textWidth() { return textWidth; }
    public int textLayers() { return textLayers; }
    public int textHeads() { return textHeads; }
    public int embedDim() { return embedDim; }
    public double initLogitScale() { return initLogitScale; }
    public long seed() { return seed; }
    /** The MLP activation of both towers. */
    public MlpActivation activation() { return activation; }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ClipModelConfig c)) {
            return false;
        }
        return imageSize == c.imageSize && patchSize == c.patchSize && visionWidth == c.visionWidth
                && visionLayers == c.visionLayers && visionHeads == c.visionHeads && contextLength == c.contextLength
                && vocabSize == c.vocabSize && textWidth == c.textWidth && textLayers == c.textLayers
                && textHeads == c.textHeads && embedDim == c.embedDim
                && Double.compare(initLogitScale, c.initLogitScale) == 0 && seed == c.seed && activation == c.activation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(imageSize, patchSize, visionWidth, visionLayers, visionHeads, contextLength, vocabSize,
                textWidth, textLayers, textHeads, embedDim, initLogitScale, seed, activation);
    }

    @Override
    public String toString() {
        return "ClipModelConfig{image " + imageSize + "/" + patchSize + ", vision " + visionWidth + "x" + visionLayers
                + " (" + visionHeads + " heads), text " + textWidth + "x" + textLayers + " (" + textHeads
                + " heads), context " + contextLength + ", vocab " + vocabSize + ", embed " + embedDim
                + ", initLogitScale " + initLogitScale + ", seed " + seed + ", " + activation.configName() + "}";
    }
}
