package org.carotspark.layout;

import java.util.Map;

/**
 * ObjectNet: {@code images/<folder>/<file>}. The label is the ObjectNet class index of the folder (through
 * ObjectNet's mapping files); folders without an ImageNet mapping are rejected as unlabeled, as real ObjectNet
 * has 313 folders of which 113 classes overlap ImageNet. The wnid column holds the folder name.
 */
public final class ObjectNetLayout implements SplitLayout {
    private static final long serialVersionUID = 1L;

    public static final String IMAGES_DIR = "images";
    /** Pixels cropped from each side: WiSE-FT's {@code crop} uses the box (2, 2, width − 2, height − 2). */
    public static final int BORDER_CROP = 2;

    private final Map<String, Integer> folderToClass;

    public ObjectNetLayout(Map<String, Integer> folderToClass) {
        this.folderToClass = Map.copyOf(folderToClass);
    }

    @Override
    public String imagesSubdir() {
        return IMAGES_DIR;
    }

    @Override
    public int borderCropPixels() {
        return BORDER_CROP;
    }

    @Override
    public String pattern() {
        return "images/<folder>/<file>";
    }

    @Override
    public LayoutEntry classify(String relativePath, String sourcePath) {
        String[] seg = SplitLayout.segments(relativePath, 2);
        String rel = IMAGES_DIR + "/" + relativePath;
        if (seg == null) {
            return unexpectedPath(rel, sourcePath);
        }
        Integer label = folderToClass.get(seg[0]);
        if (label == null) {
            return LayoutEntry.rejected(rel, sourcePath, LayoutEntry.UNLABELED, "ObjectNet folder '" + seg[0]
                    + "' has no ImageNet mapping (not in objectnet_to_imagenet_1k.json)");
        }
        return LayoutEntry.labelled(rel, sourcePath, label, seg[0]);
    }
}
