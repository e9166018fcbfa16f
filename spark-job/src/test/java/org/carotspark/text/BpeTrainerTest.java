package org.carotspark.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BpeTrainerTest {

    private static final List<String> CAPTIONS = List.of("a photo of a circle.", "a sketch of the star.",
            "a blurry photo of an arrow.", "a photo of a five-pointed star behind snow, frost or fog.",
            "the circle in a photo.", "a pencil drawing of a disc.");

    /** Every word of the corpus becomes one token; the tokenizer CLIP would build from the files encodes it so. */
    @Test
    void learnsOneTokenPerCorpusWordThatClipsTokenizerReproduces(@TempDir Path dir) throws IOException {
        BpeVocabulary v = BpeTrainer.learn(BpeTrainer.countWords(CAPTIONS), 10_000, "test");
        v.writeHuggingFace(dir);
        ClipBpeTokenizer tok = ClipBpeTokenizer.load(dir.resolve("vocab.json"), 24);
        assertEquals(v, tok.vocabulary());
        for (String word : BpeTrainer.countWords(CAPTIONS).keySet()) {
            assertEquals(1, tok.encodeWithoutSpecialTokens(word).length, word);
        }
        int[] ids = tok.encode("a photo of a circle.");
        assertEquals(tok.sotId(), ids[0]);
        assertEquals(tok.eotId(), ids[7]);
        assertEquals(v.size() - 1, tok.eotId());
        // A word the corpus never had still encodes, through byte symbols and learned pieces.
        assertTrue(tok.encodeWithoutSpecialTokens("zebra").length > 1);
    }

    @Test
    void isDeterministicAndStopsAtTheMergeBudget() {
        Map<String, Long> counts = BpeTrainer.countWords(CAPTIONS);
        assertEquals(BpeTrainer.learn(counts, 10_000, "a"), BpeTrainer.learn(counts, 10_000, "b"));
        BpeVocabulary small = BpeTrainer.learn(counts, 5, "small");
        assertEquals(5, small.mergeCount());
        assertEquals(2 * 256 + 5 + 2, small.size());
        // "of" occurs in 5 captions, "photo" (p h, h o, o t, t o</w>) in 4: pairs are counted with word frequencies.
        assertEquals(List.of("o", "f</w>"), List.of(small.merge(0)));
    }
}
