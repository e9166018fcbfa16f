package org.carotspark.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns a byte-level BPE vocabulary in CLIP's form from a corpus (Sennrich et al.'s algorithm, the one CLIP's own
 * vocabulary comes from): each word of the texts, cut as CLIP's tokenizer cuts them, starts as its UTF-8 byte symbols
 * with the last marked end-of-word; the adjacent pair occurring most often, counted over all words with their
 * frequencies, becomes the next merge, until no word has a pair left or {@code maxMerges} merges exist. Ties go to
 * the smallest pair in string order, so the same texts give the same vocabulary. With enough merges every word of
 * the corpus is one token, and words outside it still encode through the byte symbols.
 */
public final class BpeTrainer {

    private BpeTrainer() {
    }

    /** Word (pre-token) → how often it occurs in {@code texts}, sorted by word. */
    public static Map<String, Long> countWords(Iterable<String> texts) {
        Map<String, Long> counts = new TreeMap<>();
        for (String text : texts) {
            for (String w : ClipBpeTokenizer.preTokens(text)) {
                counts.merge(w, 1L, Long::sum);
            }
        }
        return counts;
    }

    public static BpeVocabulary learn(Map<String, Long> wordCounts, int maxMerges, String source) {
        List<List<String>> words = new ArrayList<>();
        List<Long> freq = new ArrayList<>();
        for (Map.Entry<String, Long> e : new TreeMap<>(wordCounts).entrySet()) {
            words.add(new ArrayList<>(ClipBpeTokenizer.startSymbols(e.getKey())));
            freq.add(e.getValue());
        }
        List<String[]> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> s = words.get(w);
                for (int i = 0; i + 1 < s.size(); i++) {
                    pairs.merge(s.get(i) + ' ' + s.get(i + 1), freq.get(w), Long::sum);
                }
            }
            String best = null;
            long bestCount = 0;
            for (Map.Entry<String, Long> p : pairs.entrySet()) {
                if (p.getValue() > bestCount || (p.getValue() == bestCount && p.getKey().compareTo(best) < 0)) {
                    best = p.getKey();
                    bestCount = p.getValue();
                }
            }
            if (best == null) {
                break;
            }
            String[] merge = best.split(" ", 2);
            merges.add(merge);
            for (List<String> s : words) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(merge[0]) && s.get(i + 1).equals(merge[1])) {
                        s.set(i, merge[0] + merge[1]);
                        s.remove(i + 1);
                    }
                }
            }
        }
        return BpeVocabulary.fromMerges(merges, source);
    }
}
