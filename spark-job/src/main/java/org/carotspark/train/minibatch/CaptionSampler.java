package org.carotspark.train.minibatch;

import org.carotspark.seed.Seeds;

import java.io.Serializable;
import java.util.List;

/**
 * Pairs each training image with a caption from a uniformly random prompt template, seeded by
 * (seed, image id, epoch): the distribution of the reference's one-row-per-(image, template)
 * caption table without materialising templates × images rows, and the same on any executor.
 * An image that carries its own captions (the pretraining corpus) gets one of those instead, drawn the same way.
 */
public final class CaptionSampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> classNames;
    private final List<String> templates;
    private final long seed;

    public CaptionSampler(List<String> classNames, List<String> templates, long seed) {
        this(classNames, templates, seed, true);
    }

    private CaptionSampler(List<String> classNames, List<String> templates, long seed, boolean needsTemplates) {
        if (needsTemplates && templates.isEmpty()) {
            throw new IllegalArgumentException("no prompt templates");
        }
        this.classNames = List.copyOf(classNames);
        this.templates = List.copyOf(templates);
        this.seed = seed;
    }

    /** For examples that all carry their own captions: no class names or templates to fill. */
    public static CaptionSampler ownCaptions(long seed) {
        return new CaptionSampler(List.of(), List.of(), seed, false);
    }

    /** The caption of {@code example} in {@code epoch}: one of its own, else a template filled with its class. */
    public String caption(TrainExample example, int epoch) {
        String[] own = example.captions();
        if (own != null && own.length > 0) {
            return own[Seeds.random(seed, "caption", example.id(), epoch).nextInt(own.length)];
        }
        return caption(example.id(), example.label(), epoch);
    }

    public int templateIndex(String imageId, int epoch) {
        if (templates.isEmpty()) {
            throw new IllegalStateException("image " + imageId + " has no captions of its own and there are no prompt"
                    + " templates to caption it from");
        }
        return Seeds.random(seed, "caption", imageId, epoch).nextInt(templates.size());
    }

    public String caption(String imageId, int label, int epoch) {
        return fill(templates.get(templateIndex(imageId, epoch)), classNames.get(label));
    }

    public static String fill(String template, String className) {
        return template.replace("{}", className);
    }
}
