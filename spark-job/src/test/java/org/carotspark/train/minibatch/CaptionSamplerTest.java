package org.carotspark.train.minibatch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionSamplerTest {

    private final List<String> templates = List.of("a photo of a {}.", "a sketch of a {}.", "a {} in the wild.",
            "a blurry {}.");
    private final CaptionSampler sampler = new CaptionSampler(List.of("circle", "star"), templates, 5);

    @Test
    void sameIdAndEpochGiveTheSameCaptionEverywhere() {
        CaptionSampler other = new CaptionSampler(List.of("circle", "star"), templates, 5);
        for (int i = 0; i < 50; i++) {
            assertEquals(sampler.caption("img" + i, 1, 3), other.caption("img" + i, 1, 3));
        }
        assertTrue(sampler.caption("x", 1, 0).contains("star"));
    }

    @Test
    void templatesAreUniformOverImagesAndVaryAcrossEpochs() {
        int[] counts = new int[templates.size()];
        int changed = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            int t = sampler.templateIndex("n0000/img_" + i + ".JPEG", 0);
            counts[t]++;
            if (t != sampler.templateIndex("n0000/img_" + i + ".JPEG", 1)) {
                changed++;
            }
        }
        for (int c : counts) {
            // Binomial(20000, 1/4): sd ≈ 61, allow 5 sd.
            assertEquals(n / 4.0, c, 310, "template counts " + java.util.Arrays.toString(counts));
        }
        assertEquals(0.75 * n, changed, 400, "a new epoch redraws the template independently");
    }
}
