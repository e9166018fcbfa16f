package org.carotspark.text;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimpleWordTokenizerTest {

    private static final List<String> CLASSES = List.of("Tench", "goldfish", "great white shark", "T-shirt");
    private static final List<String> TEMPLATES = List.of("a photo of a {}.", "a bad photo of the {c}!", "itap of a {}.");

    private static SimpleWordTokenizer tok(int len) {
        return new SimpleWordTokenizer(CLASSES, TEMPLATES, len);
    }

    @Test
    void vocabularyIsSortedUniqueLowerCaseWordsWithoutPlaceholders() {
        SimpleWordTokenizer t = tok(8);
        assertEquals(List.of("a", "bad", "goldfish", "great", "itap", "of", "photo", "shark", "shirt", "t", "tench",
                "the", "white"), t.words());
        assertEquals(13 + 4, t.vocabSize());
        assertEquals(t.vocabSize() - 2, t.sotId());
        assertEquals(t.vocabSize() - 1, t.eotId());
    }

    @Test
    void sotFirstEotAfterTheWordsThenPadding() {
        SimpleWordTokenizer t = tok(8);
        int[] ids = t.encode("A photo of a Goldfish.");
        int a = 2;                      // "a" is the first word
        int goldfish = 2 + 2;
        int of = 2 + 5;
        int photo = 2 + 6;
        assertArrayEquals(new int[]{t.sotId(), a, photo, of, a, goldfish, t.eotId(), 0}, ids);
    }

    @Test
    void unknownWordsMapToOne() {
        SimpleWordTokenizer t = tok(5);
        assertArrayEquals(new int[]{t.sotId(), 1, 1, t.eotId(), 0}, t.encode("zebra crossing"));
    }

    @Test
    void truncationKeepsEotLastAndEotIsTheMaximum() {
        SimpleWordTokenizer t = tok(5);
        int[] ids = t.encode("a photo of a great white shark");
        assertEquals(5, ids.length);
        assertEquals(t.sotId(), ids[0]);
        assertEquals(t.eotId(), ids[4]);
        assertArrayEquals(new int[]{2, 8, 7}, new int[]{ids[1], ids[2], ids[3]});
        // Exactly filling the context (3 words + SOT + EOT) is not truncation.
        assertArrayEquals(new int[]{t.sotId(), 2, 8, 7, t.eotId()}, t.encode("a photo of"));
        for (String s : List.of("", "a", "tench tench tench tench tench tench tench")) {
            int[] e = t.encode(s);
            int argmax = 0;
            for (int i = 1; i < e.length; i++) {
                if (e[i] > e[argmax]) {
                    argmax = i;
                }
            }
            assertEquals(t.eotId(), e[argmax], s);
            assertEquals(1, java.util.Arrays.stream(e).filter(v -> v == t.eotId()).count(), "one EOT in " + s);
        }
        assertArrayEquals(new int[]{t.sotId(), t.eotId(), 0, 0, 0}, t.encode(""));
    }

    @Test
    void deterministicAcrossInstancesInputOrderAndSerialisation() throws Exception {
        SimpleWordTokenizer a = tok(8);
        SimpleWordTokenizer b = new SimpleWordTokenizer(List.of("T-shirt", "great white shark", "goldfish", "Tench"),
                List.of("itap of a {}.", "a photo of a {}.", "a bad photo of the {c}!"), 8);
        assertEquals(a, b);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
        }
        CaptionTokenizer back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (CaptionTokenizer) in.readObject();
        }
        for (String s : List.of("a photo of a tench.", "itap of a T-shirt", "great white shark")) {
            assertArrayEquals(a.encode(s), b.encode(s));
            assertArrayEquals(a.encode(s), back.encode(s));
        }
        float[] f = a.encodeAsFloats("a photo of a tench.");
        assertEquals(a.eotId(), (int) f[6]);
        assertNotEquals(a, tok(9));
    }

    @Test
    void rejectsAContextWithoutRoomForSotAndEot() {
        assertThrows(IllegalArgumentException.class, () -> tok(1));
        assertTrue(tok(2).encode("a photo")[1] == tok(2).eotId());
    }
}
