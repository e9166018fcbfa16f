package org.carotspark.layout;

import java.util.List;

/** ImageNetV2: {@code <class index>/<file>} with the index in 0..numClasses−1 (PyTorch order). */
public final class ClassIndexFolderLayout implements SplitLayout {
    private static final long serialVersionUID = 1L;

    private final List<String> wnids;

    public ClassIndexFolderLayout(List<String> wnids) {
        this.wnids = List.copyOf(wnids);
    }

    @Override
    public String pattern() {
        return "<class index>/<file>";
    }

    @Override
    public LayoutEntry classify(String relativePath, String sourcePath) {
        String[] seg = SplitLayout.segments(relativePath, 2);
        if (seg == null) {
            return unexpectedPath(relativePath, sourcePath);
        }
        int index;
        try {
            index = seg[0].matches("\\d{1,9}") ? Integer.parseInt(seg[0]) : -1;
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= wnids.size()) {
            return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                    "class index folder '" + seg[0] + "' is not in 0.." + (wnids.size() - 1));
        }
        return LayoutEntry.labelled(relativePath, sourcePath, index, wnids.get(index));
    }
}
