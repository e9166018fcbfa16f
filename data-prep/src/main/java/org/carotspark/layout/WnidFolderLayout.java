package org.carotspark.layout;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code <wnid>/<file>}: ILSVRC2012 train and val (val sorted into wnid folders), ImageNet-R, ImageNet-A and
 * ImageNet-Sketch. For IN-R / IN-A a class subset restricts which wnids are valid.
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
