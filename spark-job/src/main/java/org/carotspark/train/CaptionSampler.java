package org.carotspark.train;

import org.carotspark.seed.Seeds;

import java.io.Serializable;
import java.util.List;

/**
 * Pairs each training image with a caption from a uniformly random prompt template, seeded by
 * (seed, image id, epoch): the distribution of the reference's one-row-per-(image, template)
 * caption table without materialising templates × images rows, and the same on any executor.
 */
public final class CaptionSampler implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> classNames;
    private final List<String> templates;
    private final long seed;

    public CaptionSampler(List<String> classNames, List<String> templates, long seed) {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("no prompt templates");
        }
        this.classNames = List.copyOf(classNames);
        this.templates = List.copyOf(templates);
        this.seed = seed;
    }

    public int templateIndex(String imageId, int epoch) {
        return Seeds.random(seed, "caption", imageId, epoch).nextInt(templates.size());
    }

    public String caption(String imageId, int label, int epoch) {
        return fill(templates.get(templateIndex(imageId, epoch)), classNames.get(label));
    }

    public static String fill(String template, String className) {
        return template.replace("{}", className);
    }
}
