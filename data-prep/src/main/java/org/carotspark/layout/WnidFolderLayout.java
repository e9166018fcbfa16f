package org.carotspark.layout;

import org.carotspark.config.UserFacingException;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code <wnid>/<file>}: ILSVRC2012 train and val (val sorted into wnid folders), ImageNet-R, ImageNet-A and
 * ImageNet-Sketch. For IN-R / IN-A a class subset restricts which wnids are valid, and the class folders
 * present must be exactly the published subset (its 200 classes), or the listing is refused.
 */
public final class WnidFolderLayout implements SplitLayout {
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> wnidToIndex;
    private final Set<Integer> subset;
    private final String subsetName;

    /** @param subset allowed class indices, or null for all classes */
    public WnidFolderLayout(Map<String, Integer> wnidToIndex, int[] subset, String subsetName) {
        this.wnidToIndex = Map.copyOf(wnidToIndex);
        if (subset == null || subset.length == 0) {
            this.subset = null;
        } else {
            Set<Integer> s = new HashSet<>();
            for (int i : subset) {
                s.add(i);
            }
            this.subset = s;
        }
        this.subsetName = subsetName;
    }

    @Override
    public String pattern() {
        return "<wnid>/<file>";
    }

    /** The wnid folders present must be exactly the subset's classes: a missing or extra class is an error. */
    @Override
    public void verify(String split, List<LayoutEntry> entries) {
        if (subset == null) {
            return;
        }
        Set<String> folders = new TreeSet<>();
        for (LayoutEntry e : entries) {
            String[] seg = e.relativePath().split("/");
            if (seg.length >= 2) {
                folders.add(seg[0]);
            }
        }
        Set<String> expected = new TreeSet<>();
        wnidToIndex.forEach((wnid, index) -> {
            if (subset.contains(index)) {
                expected.add(wnid);
            }
        });
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(folders);
        Set<String> extra = new TreeSet<>(folders);
        extra.removeAll(expected);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new UserFacingException("split " + split + ": the class folders present (" + folders.size()
                    + ") differ from the published " + subsetName + " class list (" + expected.size() + " classes):"
                    + (missing.isEmpty() ? "" : " no folder for " + describe(missing))
                    + (extra.isEmpty() ? "" : (missing.isEmpty() ? "" : ";") + " folders outside the list: "
                    + describe(extra)));
        }
    }

    private String describe(Set<String> wnids) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String w : wnids) {
            if (shown++ == 5) {
                sb.append(", ... (").append(wnids.size()).append(" in all)");
                break;
            }
            Integer c = wnidToIndex.get(w);
            sb.append(shown > 1 ? ", " : "").append(w).append(c == null ? " (not in the synset file)" : " (class " + c
                    + ")");
        }
        return sb.toString();
    }

    @Override
    public LayoutEntry classify(String relativePath, String sourcePath) {
        String[] seg = SplitLayout.segments(relativePath, 2);
        if (seg == null) {
            return unexpectedPath(relativePath, sourcePath);
        }
        Integer label = wnidToIndex.get(seg[0]);
        if (label == null) {
            return SplitLayout.unknownWnid(relativePath, sourcePath, seg[0]);
        }
        if (subset != null && !subset.contains(label)) {
            return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                    "wnid '" + seg[0] + "' (class " + label + ") is not in the " + subsetName + " class subset");
        }
        return LayoutEntry.labelled(relativePath, sourcePath, label, seg[0]);
    }
}
