package org.carotspark.train;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

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
        long h = seed * 0x9E3779B97F4A7C15L ^ fnv1a64(imageId) ^ (epoch + 1L) * 0xC2B2AE3D27D4EB4FL;
        return new SplittableRandom(h).nextInt(templates.size());
    }

    public String caption(String imageId, int label, int epoch) {
        return fill(templates.get(templateIndex(imageId, epoch)), classNames.get(label));
    }

    public static String fill(String template, String className) {
        return template.replace("{}", className);
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
