package org.carotspark.text;

import org.carotspark.config.UserFacingException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer ({@code clip.tokenize(texts, context_length, truncate=True)}):
 * {@link ClipTextCleaner} cleanup, CLIP's pre-tokenisation regex, UTF-8 bytes mapped to CLIP's byte
 * alphabet, BPE by merge rank, then {@code [SOT, tokens..., EOT, 0...]}; a text too long for the
 * context keeps its first tokens and ends with EOT. With OpenAI's vocabulary SOT = 49406,
 * EOT = 49407 and the vocabulary size is 49408.
 *
 * <p>Serialisable for executors: only the vocabulary travels; lookup tables and the per-word cache
 * are rebuilt on first use.
 */
public final class ClipBpeTokenizer implements CaptionTokenizer {

    private static final long serialVersionUID = 1L;

    /** OpenAI's file name, as open_clip and CLIP ship it. */
    public static final String OPENAI_VOCAB_FILE = "bpe_simple_vocab_16e6.txt.gz";
    public static final int DEFAULT_CONTEXT_LENGTH = 77;

    private static final Pattern PRE_TOKENS = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    /** Distinct words cached per JVM; past this the cache starts again (captions repeat a small vocabulary). */
    private static final int CACHE_LIMIT = 100_000;

    private final BpeVocabulary vocabulary;
    private final int contextLength;
    private transient volatile Tables tables;

    /** Lookup tables built from the vocabulary. */
    private static final class Tables {
        final Map<String, Integer> ids;
        final Map<String, Integer> ranks;
        final Map<String, int[]> cache = new ConcurrentHashMap<>();

        Tables(BpeVocabulary v) {
            ids = v.tokenIds();
            ranks = v.mergeRanks();
        }
    }

    public ClipBpeTokenizer(BpeVocabulary vocabulary, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be >= 2 (SOT and EOT), got " + contextLength);
        }
        this.vocabulary = vocabulary;
        this.contextLength = contextLength;
    }

    /**
     * The vocabulary at {@code path}: OpenAI's merges file ({@code *.txt.gz} or {@code *.txt}), Hugging
     * Face's {@code vocab.json} (with {@code merges.txt} beside it), or a directory holding either
     * (a model directory as the hubs publish it).
     */
    public static ClipBpeTokenizer load(Path path, int contextLength) {
        return new ClipBpeTokenizer(readVocabulary(path), contextLength);
    }

    public static BpeVocabulary readVocabulary(Path path) {
        if (Files.isDirectory(path)) {
            Path openAi = path.resolve(OPENAI_VOCAB_FILE);
            if (Files.isRegularFile(openAi)) {
                return BpeVocabulary.readOpenAiMerges(openAi);
            }
            Path vocabJson = path.resolve("vocab.json");
            if (Files.isRegularFile(vocabJson)) {
                return readHuggingFace(vocabJson);
            }
            throw new UserFacingException("no CLIP vocabulary in " + path + " (expected " + OPENAI_VOCAB_FILE
                    + ", or vocab.json + merges.txt)");
        }
        if (!Files.isRegularFile(path)) {
            throw new UserFacingException("vocabulary file not found: " + path);
        }
        if (path.getFileName().toString().endsWith(".json")) {
            return readHuggingFace(path);
        }
        return BpeVocabulary.readOpenAiMerges(path);
    }

    private static BpeVocabulary readHuggingFace(Path vocabJson) {
        Path merges = vocabJson.resolveSibling("merges.txt");
        if (!Files.isRegularFile(merges)) {
            throw new UserFacingException("vocabulary " + vocabJson + " needs merges.txt beside it: " + merges
                    + " not found");
        }
        return BpeVocabulary.readHuggingFace(vocabJson, merges);
    }

    public ClipBpeTokenizer withContextLength(int length) {
        return new ClipBpeTokenizer(vocabulary, length);
    }

    @Override
    public int[] encode(String text) {
        int[] ids = new int[contextLength];
        ids[0] = sotId();
        int n = 1;
        for (int id : encodeWithoutSpecialTokens(text)) {
            if (n == contextLength) {
                break;
            }
            ids[n++] = id;
        }
        // Room for EOT after the tokens, or the last kept token gives way to it.
        ids[n < contextLength ? n : contextLength - 1] = eotId();
        return ids;
    }

    /** The BPE ids of the cleaned text, without SOT/EOT or padding (CLIP's {@code SimpleTokenizer.encode}). */
    public int[] encodeWithoutSpecialTokens(String text) {
        Tables t = tables();
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        for (String piece : preTokens(text)) {
            int[] ids = word(t, piece);
            pieces.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int k = 0;
        for (int[] p : pieces) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    /** The words BPE runs on: the cleaned text split by CLIP's pattern (words, numbers, punctuation runs). */
    static List<String> preTokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PRE_TOKENS.matcher(ClipTextCleaner.clean(text));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The byte symbols BPE starts a word from (package access for {@link BpeTrainer}). */
    static List<String> startSymbols(String piece) {
        return byteSymbols(piece);
    }

    /** One pre-token → ids, through the cache. */
    private int[] word(Tables t, String piece) {
        int[] cached = t.cache.get(piece);
        if (cached != null) {
            return cached;
        }
        int[] ids;
        if (piece.equals(BpeVocabulary.START_OF_TEXT) || piece.equals(BpeVocabulary.END_OF_TEXT)) {
            ids = new int[]{t.ids.get(piece)};
        } else {
            List<String> symbols = bpe(t.ranks, byteSymbols(piece));
            ids = new int[symbols.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = t.ids.get(symbols.get(i)); // present: the vocabulary was validated against its merges
            }
        }
        if (t.cache.size() >= CACHE_LIMIT) {
            t.cache.clear();
        }
        t.cache.put(piece, ids);
        return ids;
    }

    /** UTF-8 bytes as CLIP's byte symbols, the last one marked as the end of the word. */
    private static List<String> byteSymbols(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(String.valueOf(BpeVocabulary.byteSymbol(b)));
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + BpeVocabulary.END_OF_WORD);
        return symbols;
    }

    /** Repeatedly joins every occurrence (left to right) of the adjacent pair with the lowest merge rank. */
    static List<String> bpe(Map<String, Integer> ranks, List<String> symbols) {
        while (symbols.size() > 1) {
            int best = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer r = ranks.get(symbols.get(i) + ' ' + symbols.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    first = symbols.get(i);
                    second = symbols.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(first) && symbols.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        return symbols;
    }

    private Tables tables() {
        Tables t = tables;
        if (t == null) {
            synchronized (this) {
                t = tables;
                if (t == null) {
                    t = new Tables(vocabulary);
                    tables = t;
                }
            }
        }
        return t;
    }

    public BpeVocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public int sotId() {
        return tables().ids.get(BpeVocabulary.START_OF_TEXT);
    }

    @Override
    public int eotId() {
        return vocabulary.size() - 1; // validated: the end token is the largest id
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipBpeTokenizer t && t.contextLength == contextLength && t.vocabulary.equals(vocabulary);
    }

    @Override
    public int hashCode() {
        return vocabulary.hashCode() * 31 + contextLength;
    }

    @Override
    public String toString() {
        return "ClipBpeTokenizer{" + vocabulary.size() + " tokens from " + vocabulary.source() + ", context "
                + contextLength + "}";
    }
}
