package org.carotspark.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainCorpusTest {

    private final PretrainCorpus corpus = new PretrainCorpus(7001, 32, 64, 100, 95);

    @Test
    void anItemIsAFunctionOfSeedAndIndex() {
        PretrainCorpus.Item a = corpus.item(17);
        PretrainCorpus.Item b = new PretrainCorpus(7001, 32, 64, 100, 95).item(17);
        assertArrayEquals(a.jpeg(), b.jpeg());
        assertEquals(a.captions(), b.captions());
        assertEquals("pretrain/000017", a.id());
        assertTrue(!Arrays.equals(a.jpeg(), new PretrainCorpus(7002, 32, 64, 100, 95).item(17).jpeg()));
    }

    /** Over a few hundred items every object kind and every way of drawing appears, each caption naming its object. */
    @Test
    void coversEveryKindAndStyleWithCaptionsThatNameTheObject() {
        Set<Integer> kinds = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            PretrainCorpus.Item it = corpus.item(i);
            kinds.add(it.kind());
            families.add(it.style().matches(".*-\\d") ? CaptionGrammar.corruptionFamily(
                    it.style().substring(0, it.style().length() - 2)) : it.style());
            assertEquals(PretrainCorpus.CAPTIONS_PER_IMAGE, it.captions().size());
            List<String> words = CaptionGrammar.objectWords(ShapeKind.values()[it.kind()]);
            for (String c : it.captions()) {
                assertTrue(words.stream().anyMatch(c::contains), c + " names none of " + words);
            }
        }
        assertEquals(ShapeKind.values().length, kinds.size());
        assertEquals(Set.of("photo", "photo-v2", "sketch", "art", "cartoon", "graphic", "pattern", "hard",
                "objectnet", "noise", "blur", "weather", "digital"), families);
    }

    @Test
    void captionsUseTheirStylesFrames() {
        Random r = new Random(1);
        for (int i = 0; i < 50; i++) {
            String c = CaptionGrammar.caption(ShapeKind.STAR, "sketch", r);
            boolean framed = CaptionGrammar.FRAMES.get("sketch").stream().anyMatch(f -> {
                String before = f.substring(0, f.indexOf("{}"));
                String after = f.substring(f.indexOf("{}") + 2);
                String object = c.startsWith(before) && c.endsWith(after)
                        ? c.substring(before.length(), c.length() - after.length()) : "";
                return object.matches("(a|an|the) (star|five-pointed star)");
            });
            assertTrue(framed, c);
        }
    }
}
