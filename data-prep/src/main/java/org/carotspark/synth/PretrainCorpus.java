package org.carotspark.synth;

import org.carotspark.data.CorruptionNames;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.seed.Seeds;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The image–caption corpus the built-in CLIP is pretrained on, broader than the fine-tuning data: every object kind
 * the generator can draw (the ImageNet-like classes and the ObjectNet-only strokes) in every way it can draw them —
 * ImageNet and ImageNetV2 photos, sketches, the four renditions, cluttered hard examples, ObjectNet viewpoints and
 * ImageNet-C corruptions of photos — each with {@link #CAPTIONS_PER_IMAGE} captions from {@link CaptionGrammar}.
 * Image i is drawn from its own stream (corpus seed, "pretrain", i): no stream of the generator's splits, so no
 * evaluation image reappears. Stored like prepared training images: shorter side = the model's input size.
 */
public final class PretrainCorpus {

    public static final int CAPTIONS_PER_IMAGE = 4;

    /**
     * The seven sources and their shares in tenths: photos are half the corpus, as photos are most of the web's
     * image-text pairs, and each other way of drawing a tenth (renditions and corruptions pick their variant within).
     */
    enum Source {
        PHOTO(4), PHOTO_V2(1), SKETCH(1), RENDITION(1), HARD(1), OBJECTNET(1), CORRUPTED(1);

        final int tenths;

        Source(int tenths) {
            this.tenths = tenths;
        }

        static Source draw(Random r) {
            int t = r.nextInt(10);
            for (Source s : values()) {
                t -= s.tenths;
                if (t < 0) {
                    return s;
                }
            }
            throw new IllegalStateException("shares do not add up to ten tenths");
        }
    }

    /** One corpus image: its id, object kind (the label column), JPEG bytes, captions and style. */
    public record Item(String id, int kind, byte[] jpeg, List<String> captions, String style) {
    }

    private final long seed;
    private final int imageSize;
    private final int minSize;
    private final int maxSize;
    private final int jpegQuality;
    private final List<ShapeKind> kinds = Arrays.asList(ShapeKind.values());
    private final HardExampleStyle hard = new HardExampleStyle(kinds);
    private final SketchStyle sketch = new SketchStyle();
    private final ObjectNetStyle objectNet = new ObjectNetStyle();

    public PretrainCorpus(long seed, int imageSize, int minSize, int maxSize, int jpegQuality) {
        this.seed = seed;
        this.imageSize = imageSize;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.jpegQuality = jpegQuality;
    }

    public Item item(int index) {
        Random r = new Random(Seeds.derive(seed, "pretrain", index));
        ShapeKind kind = kinds.get(r.nextInt(kinds.size()));
        Source source = Source.draw(r);
        int w = minSize + r.nextInt(maxSize - minSize + 1);
        int h = minSize + r.nextInt(maxSize - minSize + 1);
        Random draw = new Random(r.nextLong());
        String style;
        String family;
        BufferedImage img;
        switch (source) {
            case PHOTO, PHOTO_V2 -> {
                style = source == Source.PHOTO ? "photo" : "photo-v2";
                family = "photo";
                img = (source == Source.PHOTO ? PhotoStyle.IMAGENET : PhotoStyle.IMAGENET_V2).render(kind, draw, w, h);
            }
            case SKETCH -> {
                style = family = "sketch";
                img = sketch.render(kind, draw, w, h);
            }
            case RENDITION -> {
                style = family = RenditionStyle.TYPES[r.nextInt(RenditionStyle.TYPES.length)];
                img = new RenditionStyle(style).render(kind, draw, w, h);
            }
            case HARD -> {
                style = family = "hard";
                img = hard.render(kind, draw, w, h);
            }
            case OBJECTNET -> {
                style = family = "objectnet";
                img = objectNet.render(kind, draw, w, h);
            }
            default -> {
                String corruption = CorruptionNames.BENCHMARK.get(r.nextInt(CorruptionNames.BENCHMARK.size()));
                int severity = 1 + r.nextInt(5);
                style = corruption + "-" + severity;
                family = CaptionGrammar.corruptionFamily(corruption);
                img = Corruptions.apply(corruption, severity, PhotoStyle.IMAGENET.render(kind, draw, w, h), r);
            }
        }
        List<String> captions = new ArrayList<>(CAPTIONS_PER_IMAGE);
        for (int c = 0; c < CAPTIONS_PER_IMAGE; c++) {
            captions.add(CaptionGrammar.caption(kind, family, r));
        }
        byte[] jpeg = ImagePreprocessor.encodeJpeg(
                ImagePreprocessor.resizeKeepingAspect(ImageDecoder.toRgb(img), imageSize), jpegQuality);
        return new Item(String.format("pretrain/%06d", index), kind.ordinal(), jpeg, captions, style);
    }
}
