package org.carotspark.synth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The captions of the pretraining corpus: short English descriptions of what an image shows, the kind of text CLIP's
 * web pairs carry. A caption names the object with one of its words (display name or a synset synonym, with "a",
 * "an" or "the") inside a frame that says how the image was made — photo, sketch, painting, cartoon, graphic,
 * pattern, cluttered scene, unusual viewpoint, or the kind of damage a corrupted photo has. Every frame describes
 * something true of the style that drew the image; none mentions a class index or a prompt template of the
 * evaluation. Fixed in docs/PRETRAINING.md before any fine-tuning comparison was run.
 */
public final class CaptionGrammar {

    /** Frames per style family; {@code {}} is the object phrase. */
    static final Map<String, List<String>> FRAMES = Map.ofEntries(
            Map.entry("photo", List.of("a photo of {}.", "a picture of {}.", "an image of {}.", "a snapshot of {}.",
                    "{} in a photo.", "a close-up photo of {}.")),
            Map.entry("sketch", List.of("a sketch of {}.", "a pencil drawing of {}.", "a black and white sketch of {}.",
                    "{} drawn by hand in pencil.", "a rough outline drawing of {}.")),
            Map.entry("art", List.of("a painting of {}.", "an artwork showing {}.", "{} painted on a textured canvas.")),
            Map.entry("cartoon", List.of("a cartoon of {}.", "a cartoon drawing of {}.", "{} in a cartoon.")),
            Map.entry("graphic", List.of("a graphic of {}.", "a neon graphic of {}.", "{} as flat clip art.")),
            Map.entry("pattern", List.of("a pattern of {}.", "a dotted pattern showing {}.", "{} made of dots.")),
            Map.entry("hard", List.of("a cluttered photo of {}.", "a photo of {} among other shapes.",
                    "{} hidden in a busy scene.")),
            Map.entry("objectnet", List.of("a photo of {} from an unusual angle.", "a rotated photo of {}.",
                    "{} seen from a strange viewpoint.", "{} on an odd background.")),
            Map.entry("noise", List.of("a noisy photo of {}.", "a grainy image of {}.")),
            Map.entry("blur", List.of("a blurry photo of {}.", "an out of focus image of {}.")),
            Map.entry("weather", List.of("a photo of {} behind snow, frost or fog.", "a hazy photo of {}.")),
            Map.entry("digital", List.of("a low quality photo of {}.", "a distorted image of {}.")));

    /** The ImageNet-C corruption families (the benchmark's own grouping) → frame family. */
    static String corruptionFamily(String corruption) {
        return switch (corruption) {
            case "gaussian_noise", "shot_noise", "impulse_noise" -> "noise";
            case "defocus_blur", "glass_blur", "motion_blur", "zoom_blur" -> "blur";
            case "snow", "frost", "fog" -> "weather";
            default -> "digital";
        };
    }

    private CaptionGrammar() {
    }

    /** Every word the grammar may use for {@code kind}: its display name and its synset names, deduplicated. */
    static List<String> objectWords(ShapeKind kind) {
        Set<String> words = new LinkedHashSet<>();
        words.add(kind.className());
        for (String s : kind.synset().split(",")) {
            words.add(s.trim().toLowerCase(java.util.Locale.ROOT));
        }
        return new ArrayList<>(words);
    }

    /** One caption of an image of {@code kind} drawn in frame family {@code family}. */
    public static String caption(ShapeKind kind, String family, Random rnd) {
        List<String> frames = FRAMES.get(family);
        if (frames == null) {
            throw new IllegalArgumentException("no caption frames for style family '" + family + "'");
        }
        List<String> words = objectWords(kind);
        String word = words.get(rnd.nextInt(words.size()));
        String object = switch (rnd.nextInt(3)) {
            case 0 -> "the " + word;
            default -> ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
        };
        return frames.get(rnd.nextInt(frames.size())).replace("{}", object);
    }
}
