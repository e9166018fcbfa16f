package org.carotspark.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A word-level tokenizer whose vocabulary is every word of the class names and prompt templates:
 * lower-cased, split on non-alphanumeric characters, sorted and de-duplicated, so the same inputs
 * always give the same ids on every machine. Ids: 0 = padding, 1 = unknown word, 2.. = the words
 * in sorted order, then SOT, then EOT = {@code vocabSize() - 1} (the maximum id, which the text
 * tower's argmax pooling relies on). A template's placeholder ({@code {}} or any {@code {...}})
 * contributes no word.
 *
 * <p>This is for the small built-in models; real CLIP weights need CLIP's BPE tokenizer.
 */
public final class SimpleWordTokenizer implements CaptionTokenizer {

    private static final long serialVersionUID = 1L;

    public static final int PAD_ID = 0;
    public static final int UNKNOWN_ID = 1;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");
    private static final Pattern NON_ALNUM = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final String[] words;
    private final int contextLength;
    // Rebuilt lazily after deserialisation.
    private transient Map<String, Integer> index;

    public SimpleWordTokenizer(Collection<String> classNames, Collection<String> templates, int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be >= 2 (SOT and EOT), got " + contextLength);
        }
        TreeSet<String> vocab = new TreeSet<>();
        for (String c : classNames) {
            vocab.addAll(split(c));
        }
        for (String t : templates) {
            vocab.addAll(split(PLACEHOLDER.matcher(t).replaceAll(" ")));
        }
        this.words = vocab.toArray(new String[0]);
        this.contextLength = contextLength;
    }

    /** Lower-cased words of {@code text}, split on anything that is not a letter or digit. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        for (String w : NON_ALNUM.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private Map<String, Integer> index() {
        Map<String, Integer> m = index;
        if (m == null) {
            m = new HashMap<>(words.length * 2);
            for (int i = 0; i < words.length; i++) {
                m.put(words[i], i + 2);
            }
            index = m;
        }
        return m;
    }

    @Override
    public int[] encode(String text) {
        Map<String, Integer> idx = index();
        int[] ids = new int[contextLength];
        ids[0] = sotId();
        int pos = 1;
        boolean truncated = false;
        for (String w : split(text)) {
            if (pos >= contextLength) {
                truncated = true;
                break;
            }
            ids[pos++] = idx.getOrDefault(w, UNKNOWN_ID);
        }
        if (truncated || pos >= contextLength) {
            ids[contextLength - 1] = eotId(); // CLIP's truncate: the last token becomes EOT
        } else {
            ids[pos] = eotId();
        }
        return ids;
    }

    /** The vocabulary words in id order (id = index + 2). */
    public List<String> words() {
        return List.of(words);
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public int vocabSize() {
        return words.length + 4;
    }

    @Override
    public int sotId() {
        return words.length + 2;
    }

    @Override
    public int eotId() {
        return words.length + 3;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimpleWordTokenizer t && t.contextLength == contextLength && Arrays.equals(t.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(words) + contextLength;
    }
}
