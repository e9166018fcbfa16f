package org.carotspark.layout;

import java.util.List;
import java.util.Map;

/** ILSVRC2012 val kept flat: {@code <file>} directly in the split root, labelled by a label file ({@link ValLabels}). */
public final class FlatValLayout implements SplitLayout {
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> labels;
    private final List<String> wnids;
    private final String labelsFile;

    /**
     * @param labels image name without extension → class index
     * @param wnids  wnids in class order
     */
    public FlatValLayout(Map<String, Integer> labels, List<String> wnids, String labelsFile) {
        this.labels = Map.copyOf(labels);
        this.wnids = List.copyOf(wnids);
        this.labelsFile = labelsFile;
    }

    @Override
    public String pattern() {
        return "<file> (flat, labelled by " + labelsFile + ")";
    }

    @Override
    public LayoutEntry classify(String relativePath, String sourcePath) {
        String[] seg = SplitLayout.segments(relativePath, 1);
        if (seg == null) {
            return unexpectedPath(relativePath, sourcePath);
        }
        int dot = seg[0].lastIndexOf('.');
        String image = dot > 0 ? seg[0].substring(0, dot) : seg[0];
        Integer label = labels.get(image);
        if (label == null) {
            return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                    "no label for " + image + " in " + labelsFile);
        }
        return LayoutEntry.labelled(relativePath, sourcePath, label, wnids.get(label));
    }
}
