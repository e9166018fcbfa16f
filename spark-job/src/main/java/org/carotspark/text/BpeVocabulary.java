package org.carotspark.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.config.UserFacingException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A byte-level BPE vocabulary in CLIP's form: every token string in id order, and the merges in
 * rank order. Tokens are written in CLIP's byte alphabet ({@link #byteSymbol}); a token ending in
 * {@code </w>} ends a word. Loads OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} (ids implied by the
 * merge order) and Hugging Face's {@code vocab.json} + {@code merges.txt} (ids given).
 */
public final class BpeVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String START_OF_TEXT = "<|startoftext|>";
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String END_OF_WORD = "</w>";
    /** CLIP reads this many merges (49152 − 256 − 2), whatever the file holds beyond them. */
    public static final int CLIP_MERGES = 48894;

    /** Byte value → CLIP's printable stand-in character. */
    private static final char[] BYTE_SYMBOLS = new char[256];
    /** The byte stand-ins in vocabulary order: printable Latin-1 bytes first, then the rest. */
    private static final char[] BASE_ORDER = new char[256];

    static {
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                BYTE_SYMBOLS[b] = (char) b;
                BASE_ORDER[n++] = (char) b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                BYTE_SYMBOLS[b] = (char) (256 + extra++);
                BASE_ORDER[n++] = BYTE_SYMBOLS[b];
            }
        }
    }

    private final String[] tokens;
    /** Merge rank r joins {@code mergeLeft[r]} and {@code mergeRight[r]}. */
    private final String[] mergeLeft;
    private final String[] mergeRight;
    private final String source;

    private BpeVocabulary(String[] tokens, String[] mergeLeft, String[] mergeRight, String source) {
        this.tokens = tokens;
        this.mergeLeft = mergeLeft;
        this.mergeRight = mergeRight;
        this.source = source;
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** CLIP's stand-in character for one byte ({@code bytes_to_unicode}). */
    public static char byteSymbol(int b) {
        return BYTE_SYMBOLS[b & 0xFF];
    }

    /**
     * OpenAI's merges file (gzip or plain text): a version line, then one merge "a b" per line; the
     * vocabulary is the 256 byte symbols, the same with {@code </w>}, one token per merge, then
     * start- and end-of-text.
     */
    public static BpeVocabulary readOpenAiMerges(Path file) {
        List<String[]> merges = readMergeLines(file, CLIP_MERGES);
        if (merges.size() < CLIP_MERGES) {
            throw new UserFacingException("BPE merges file " + file + " has " + merges.size()
                    + " merges; CLIP's vocabulary needs " + CLIP_MERGES + " (truncated or not bpe_simple_vocab_16e6?)");
        }
        return fromMerges(merges, file.toString());
    }

    /**
     * The vocabulary CLIP's layout gives {@code merges} (each {left, right}, in rank order): the 256 byte symbols,
     * the same with {@code </w>}, one token per merge, then start- and end-of-text.
     */
    public static BpeVocabulary fromMerges(List<String[]> merges, String source) {
        List<String> vocab = new ArrayList<>(2 * 256 + merges.size() + 2);
        for (char c : BASE_ORDER) {
            vocab.add(String.valueOf(c));
        }
        for (char c : BASE_ORDER) {
            vocab.add(c + END_OF_WORD);
        }
        for (String[] m : merges) {
            vocab.add(m[0] + m[1]);
        }
        vocab.add(START_OF_TEXT);
        vocab.add(END_OF_TEXT);
        return build(vocab.toArray(new String[0]), merges, source);
    }

    /** Writes Hugging Face's {@code vocab.json} and {@code merges.txt} into {@code dir}, as {@link #readHuggingFace} reads them. */
    public void writeHuggingFace(Path dir) throws IOException {
        Map<String, Integer> ids = new java.util.LinkedHashMap<>();
        for (int i = 0; i < tokens.length; i++) {
            ids.put(tokens[i], i);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vocab.json"), new ObjectMapper().writeValueAsString(ids), StandardCharsets.UTF_8);
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (int r = 0; r < mergeLeft.length; r++) {
            merges.append(mergeLeft[r]).append(' ').append(mergeRight[r]).append('\n');
        }
        Files.writeString(dir.resolve("merges.txt"), merges.toString(), StandardCharsets.UTF_8);
    }

    /** Hugging Face's {@code vocab.json} (token → id) and {@code merges.txt} (read as CLIPTokenizer reads it). */
    public static BpeVocabulary readHuggingFace(Path vocabJson, Path mergesTxt) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(vocabJson, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UserFacingException("vocabulary " + vocabJson + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserFacingException("cannot read vocabulary " + vocabJson + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.size() == 0) {
            throw new UserFacingException("vocabulary " + vocabJson + " must be a non-empty JSON object token -> id");
        }
        String[] tokens = new String[root.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode id = e.getValue();
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 0 || id.asInt() >= tokens.length) {
                throw new UserFacingException("vocabulary " + vocabJson + ": token '" + e.getKey() + "' has id " + id
                        + "; ids must be 0.." + (tokens.length - 1));
            }
            if (tokens[id.asInt()] != null) {
                throw new UserFacingException("vocabulary " + vocabJson + ": id " + id + " is used by both '"
                        + tokens[id.asInt()] + "' and '" + e.getKey() + "'");
            }
            tokens[id.asInt()] = e.getKey();
        }
        return build(tokens, readMergeLines(mergesTxt, CLIP_MERGES), vocabJson + " + " + mergesTxt);
    }

    private static List<String[]> readMergeLines(Path file, int max) {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("BPE merges file not found: " + file);
        }
        List<String[]> merges = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
            in.readLine(); // the version line, which CLIP skips unread
            String line;
            int lineNo = 1;
            while (merges.size() < max && (line = in.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    break; // only the file's end; CLIP would stop at its fixed count anyway
                }
                String[] parts = line.trim().split("\\s+");
                if (parts.length != 2) {
                    throw new UserFacingException("BPE merges file " + file + " line " + lineNo
                            + ": expected two symbols, got '" + line + "'");
                }
                merges.add(parts);
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot read BPE merges file " + file + ": " + e.getMessage(), e);
        }
        return merges;
    }

    private static BpeVocabulary build(String[] tokens, List<String[]> merges, String source) {
        String[] left = new String[merges.size()];
        String[] right = new String[merges.size()];
        for (int r = 0; r < left.length; r++) {
            left[r] = merges.get(r)[0];
            right[r] = merges.get(r)[1];
        }
        BpeVocabulary v = new BpeVocabulary(tokens, left, right, source);
        v.validate();
        return v;
    }

    /** Everything the encoder can produce must have an id, and the end token must be the largest id. */
    private void validate() {
        Map<String, Integer> ids = tokenIds();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) {
                throw new UserFacingException("vocabulary " + source + " has no token with id " + i);
            }
        }
        for (char c : BASE_ORDER) {
            requireToken(ids, String.valueOf(c), "byte symbol");
            requireToken(ids, c + END_OF_WORD, "byte symbol");
        }
        for (int r = 0; r < mergeLeft.length; r++) {
            requireToken(ids, mergeLeft[r] + mergeRight[r], "merge " + (r + 1));
        }
        requireToken(ids, START_OF_TEXT, "start token");
        requireToken(ids, END_OF_TEXT, "end token");
        if (ids.get(END_OF_TEXT) != tokens.length - 1) {
            // The text tower pools at argmax(ids), which must land on the end token.
            throw new UserFacingException("vocabulary " + source + ": " + END_OF_TEXT + " has id " + ids.get(END_OF_TEXT)
                    + " but must be the largest id (" + (tokens.length - 1) + ")");
        }
    }

    private void requireToken(Map<String, Integer> ids, String token, String what) {
        if (!ids.containsKey(token)) {
            throw new UserFacingException("vocabulary " + source + " lacks the " + what + " token '" + token + "'");
        }
    }

    /** token → id (a fresh map). */
    public Map<String, Integer> tokenIds() {
        Map<String, Integer> ids = new java.util.HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            ids.put(tokens[i], i);
        }
        return ids;
    }

    /** "left right" → merge rank (a fresh map). Symbols never contain a space: CLIP maps the space byte. */
    Map<String, Integer> mergeRanks() {
        Map<String, Integer> ranks = new java.util.HashMap<>(mergeLeft.length * 2);
        for (int r = 0; r < mergeLeft.length; r++) {
            ranks.put(mergeLeft[r] + ' ' + mergeRight[r], r); // a repeated merge keeps its last rank, as a Python dict does
        }
        return ranks;
    }

    public int size() {
        return tokens.length;
    }

    public String token(int id) {
        return tokens[id];
    }

    public int mergeCount() {
        return mergeLeft.length;
    }

    /** The merge of rank {@code r} as {left, right}. */
    public String[] merge(int r) {
        return new String[]{mergeLeft[r], mergeRight[r]};
    }

    public String source() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BpeVocabulary v && Arrays.equals(tokens, v.tokens) && Arrays.equals(mergeLeft, v.mergeLeft)
                && Arrays.equals(mergeRight, v.mergeRight);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(mergeLeft);
    }
}
