package org.carotspark.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.carotspark.config.UserFacingException;
import org.carotspark.testing.ClipReferenceFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipBpeTokenizerTest {

    private static ClipBpeTokenizer clip;

    @BeforeAll
    static void loadRealVocabulary() {
        clip = ClipBpeTokenizer.load(ClipReferenceFixture.openAiVocabulary(), 77);
    }

    /** {@code ids} followed by zeros up to {@code length}. */
    private static int[] padded(int length, int... ids) {
        return Arrays.copyOf(ids, length);
    }

    @Test
    void realVocabularyHasClipsSizeAndSpecialIds() {
        assertEquals(49408, clip.vocabSize());
        assertEquals(49406, clip.sotId());
        assertEquals(49407, clip.eotId());
        assertEquals(BpeVocabulary.CLIP_MERGES, clip.vocabulary().mergeCount());
        assertEquals("i</w>", clip.vocabulary().token(256 + 72)); // byte 'i' is the 73rd printable symbol
    }

    @Test
    void publishedIdsOfOrdinaryPrompts() {
        // The ids CLIP's README and countless notebooks show for these prompts.
        assertArrayEquals(padded(77, 49406, 320, 1125, 539, 320, 2368, 49407), clip.encode("a photo of a cat"));
        assertArrayEquals(padded(77, 49406, 320, 1125, 539, 320, 1929, 49407), clip.encode("a photo of a dog"));
        assertArrayEquals(padded(77, 49406, 320, 22697, 49407), clip.encode("a diagram"));
    }

    @Test
    void punctuationApostrophesDigitsAndNonAscii() {
        // Expected ids from tests/python/clip_reference.py (CLIP's algorithm in Python, independent of this code).
        assertArrayEquals(padded(77, 49406, 320, 1125, 539, 320, 1929, 269, 49407), clip.encode("A Photo of a DOG."));
        assertArrayEquals(padded(77, 49406, 320, 2103, 1125, 539, 518, 1149, 634, 6004, 49407),
                clip.encode("a bad photo of the tench!?"));
        int[] apostrophes = clip.encode("it's a dog's life, isn't it?");
        assertArrayEquals(padded(77, 49406, 585, 568, 320, 1929, 568, 970, 267, 2923, 713, 585, 286, 49407), apostrophes);
        // Digits are split one by one: "1984" is four tokens.
        assertArrayEquals(padded(77, 49406, 272, 280, 279, 275, 49407), clip.encode("1984"));
        assertArrayEquals(padded(77, 49406, 15304, 1097, 35689, 563, 29106, 7054, 4166, 49407),
                clip.encode("caf\u00e9 na\u00efve r\u00e9sum\u00e9"));
        // A decomposed accent is composed (NFC) first, so it tokenises like the composed one.
        assertArrayEquals(clip.encode("caf\u00e9"), clip.encode("cafe\u0301"));
        assertArrayEquals(padded(77, 49406, 39121, 44353, 21575, 163, 234, 360, 49407), clip.encode("\u65e5\u672c\u306e\u732b"));
    }

    @Test
    void everyCaseOfThePythonReference() {
        JsonNode cases = ClipReferenceFixture.json("tokenizer-cases.json");
        assertEquals(77, cases.get("context_length").asInt());
        int checked = 0;
        for (JsonNode c : cases.get("cases")) {
            String text = c.get("text").asText();
            assertEquals(c.get("cleaned").asText(), ClipTextCleaner.clean(text), "cleanup of " + text);
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("ids").get(i).asInt();
            }
            assertArrayEquals(expected, clip.encode(text), "ids of " + text);
            checked++;
        }
        assertTrue(checked >= 15, "the fixture holds the tokenizer cases");
    }

    @Test
    void truncationKeepsTheFirstTokensAndEndsWithEot() {
        // "a photo of a cat" is SOT + 5 tokens + EOT = 7 ids.
        assertArrayEquals(new int[]{49406, 320, 1125, 539, 320, 2368, 49407}, clip.withContextLength(7).encode("a photo of a cat"));
        assertArrayEquals(new int[]{49406, 320, 1125, 539, 320, 49407}, clip.withContextLength(6).encode("a photo of a cat"));
        assertArrayEquals(new int[]{49406, 49407}, clip.withContextLength(2).encode("a photo of a cat"));
        int[] longText = clip.encode("a photo of a cat ".repeat(40));
        assertEquals(77, longText.length);
        assertEquals(49407, longText[76]);
        assertEquals(2368, longText[75]); // 15 full repeats of 5 tokens end exactly at position 75
        assertArrayEquals(padded(77, 49406, 49407), clip.encode("   "));
    }

    @Test
    void huggingFaceFilesGiveTheSameTokenizer(@TempDir Path dir) throws Exception {
        BpeVocabulary v = clip.vocabulary();
        ObjectNode vocabJson = new ObjectMapper().createObjectNode();
        // Written in reverse id order: ids must come from the file, not from the order of its entries.
        for (int id = v.size() - 1; id >= 0; id--) {
            vocabJson.put(v.token(id), id);
        }
        Files.writeString(dir.resolve("vocab.json"), vocabJson.toString(), StandardCharsets.UTF_8);
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (int r = 0; r < v.mergeCount(); r++) {
            merges.append(v.merge(r)[0]).append(' ').append(v.merge(r)[1]).append('\n');
        }
        Files.writeString(dir.resolve("merges.txt"), merges, StandardCharsets.UTF_8);
        ClipBpeTokenizer hf = ClipBpeTokenizer.load(dir, 77);
        assertEquals(clip, hf);
        assertArrayEquals(clip.encode("it's 2 dogs' caf\u00e9!"), hf.encode("it's 2 dogs' caf\u00e9!"));
        assertEquals(clip, ClipBpeTokenizer.load(dir.resolve("vocab.json"), 77));
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(clip);
        }
        ClipBpeTokenizer copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ClipBpeTokenizer) in.readObject();
        }
        assertEquals(clip, copy);
        assertArrayEquals(clip.encode("a photo of a cat"), copy.encode("a photo of a cat"));
        assertTrue(bytes.size() < 4_000_000, "only the vocabulary travels: " + bytes.size() + " bytes");
    }

    @Test
    void badVocabulariesAreOneClearError(@TempDir Path dir) throws Exception {
        Path shortFile = dir.resolve("short.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(shortFile))) {
            out.write("#version: 0.2\ni n\nt h\n".getBytes(StandardCharsets.UTF_8));
        }
        UserFacingException tooShort = assertThrows(UserFacingException.class, () -> ClipBpeTokenizer.load(shortFile, 77));
        assertTrue(tooShort.getMessage().contains("has 2 merges"), tooShort.getMessage());

        UserFacingException missing = assertThrows(UserFacingException.class,
                () -> ClipBpeTokenizer.load(dir.resolve("nope.txt.gz"), 77));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());

        Path hf = Files.createDirectory(dir.resolve("hf"));
        Files.writeString(hf.resolve("vocab.json"), "{\"a\": 0,", StandardCharsets.UTF_8);
        Files.writeString(hf.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        UserFacingException badJson = assertThrows(UserFacingException.class, () -> ClipBpeTokenizer.load(hf, 77));
        assertTrue(badJson.getMessage().contains("not valid JSON"), badJson.getMessage());

        // A merge whose product the vocabulary lacks.
        ObjectNode vocab = byteVocabulary();
        vocab.put(BpeVocabulary.START_OF_TEXT, 512);
        vocab.put(BpeVocabulary.END_OF_TEXT, 513);
        Files.writeString(hf.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
        Files.writeString(hf.resolve("merges.txt"), "#version: 0.2\ni n\n", StandardCharsets.UTF_8);
        UserFacingException lacks = assertThrows(UserFacingException.class, () -> ClipBpeTokenizer.load(hf, 77));
        assertTrue(lacks.getMessage().contains("lacks the merge 1 token 'in'"), lacks.getMessage());

        // The end token must be the largest id (the text tower pools at argmax).
        vocab.put(BpeVocabulary.START_OF_TEXT, 513);
        vocab.put(BpeVocabulary.END_OF_TEXT, 512);
        Files.writeString(hf.resolve("vocab.json"), vocab.toString(), StandardCharsets.UTF_8);
        Files.writeString(hf.resolve("merges.txt"), "#version: 0.2\n", StandardCharsets.UTF_8);
        UserFacingException eot = assertThrows(UserFacingException.class, () -> ClipBpeTokenizer.load(hf, 77));
        assertTrue(eot.getMessage().contains("must be the largest id"), eot.getMessage());
    }

    /** The 512 byte symbols (plain and end-of-word) with ids 0..511 in CLIP's order. */
    private static ObjectNode byteVocabulary() {
        BpeVocabulary v = clip.vocabulary();
        ObjectNode vocab = new ObjectMapper().createObjectNode();
        for (int id = 0; id < 512; id++) {
            vocab.put(v.token(id), id);
        }
        return vocab;
    }
}
