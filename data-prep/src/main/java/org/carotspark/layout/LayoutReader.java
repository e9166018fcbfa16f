package org.carotspark.layout;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.Split;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists every entry under a split's root on the driver and classifies each with the split's layout: local paths
 * with java.nio ({@link LocalTreeLister}: links into directories are not followed, pipes never opened),
 * {@code hdfs://}, {@code s3a://} and other Hadoop file systems with the FileSystem API. Every entry that is not a
 * directory comes back exactly once, as a labelled file or as a reject with a reason.
 */
public final class LayoutReader {

    private LayoutReader() {
    }

    /** Config key of the optional label file that makes ILSVRC2012 val a flat folder (see {@link ValLabels}). */
    public static final String VAL_LABELS_KEY = "carot.data.splits.imagenet.labels";
    /** Config key of the devkit's synset order (wnids in ILSVRC2012_ID order), for its ground-truth file. */
    public static final String DEVKIT_SYNSETS_KEY = "carot.data.metadata.devkit-synsets";

    /**
     * The layout a split is published in, with the settings that choose between layouts: ILSVRC2012 val
     * is {@code <wnid>/} folders unless {@value #VAL_LABELS_KEY} names a label file, then flat.
     */
    public static SplitLayout layoutFor(Split split, DatasetMetadata meta, Config config, Configuration conf) {
        String labels = config.hasPath(VAL_LABELS_KEY) ? config.getString(VAL_LABELS_KEY).strip() : "";
        if (split == Split.IMAGENET && !labels.isEmpty()) {
            String devkit = config.hasPath(DEVKIT_SYNSETS_KEY) ? config.getString(DEVKIT_SYNSETS_KEY).strip() : "";
            return new FlatValLayout(ValLabels.load(labels, devkit, meta, conf), meta.wnids(), labels);
        }
        return layoutFor(split, meta);
    }

    /** The layout a split is published in (val as {@code <wnid>/} folders). */
    public static SplitLayout layoutFor(Split split, DatasetMetadata meta) {
        Map<String, Integer> wnidToIndex = new HashMap<>();
        for (int i = 0; i < meta.wnids().size(); i++) {
            wnidToIndex.put(meta.wnids().get(i), i);
        }
        switch (split) {
            case IMAGENET_TRAIN:
            case IMAGENET_HELDOUT:
            case IMAGENET:
            case IMAGENET_SKETCH:
                return new WnidFolderLayout(wnidToIndex, null, null);
            case IMAGENET_R:
                return new WnidFolderLayout(wnidToIndex, meta.imagenetRSubset(), Split.IMAGENET_R.configName());
            case IMAGENET_A:
                return new WnidFolderLayout(wnidToIndex, meta.imagenetASubset(), Split.IMAGENET_A.configName());
            case IMAGENET_V2:
                return new ClassIndexFolderLayout(meta.wnids());
            case OBJECTNET:
                if (!meta.hasObjectNetMapping()) {
                    throw new UserFacingException("split objectnet is enabled but carot.data.metadata.objectnet-mappings"
                            + " is empty: ObjectNet images cannot be labelled without its mapping files");
                }
                return new ObjectNetLayout(meta.objectNetFolderToClass());
            case IMAGENET_C:
                return new CorruptionLayout(wnidToIndex);
            default:
                throw new IllegalArgumentException("split " + split + " has no raw layout");
        }
    }

    /** The directory that is listed for a split: the configured path, or its images sub-directory. */
    public static Path listedRoot(String splitPath, SplitLayout layout) {
        Path p = new Path(splitPath);
        return layout.imagesSubdir().isEmpty() ? p : new Path(p, layout.imagesSubdir());
    }

    /**
     * Every file under {@code root}, classified, sorted by relative path.
     *
     * @throws UserFacingException when the root does not exist
     */
    public static List<LayoutEntry> list(Split split, Path root, SplitLayout layout, Configuration conf)
            throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path qualified = fs.makeQualified(root);
        if (!fs.exists(qualified)) {
            throw new UserFacingException("split " + split.configName() + ": input path not found: " + qualified);
        }
        if (!fs.getFileStatus(qualified).isDirectory()) {
            throw new UserFacingException("split " + split.configName() + ": input path is not a directory: "
                    + qualified);
        }
        List<LayoutEntry> out = "file".equals(qualified.toUri().getScheme())
                ? LocalTreeLister.list(qualified, layout)
                : listWithHadoop(fs, qualified, layout);
        out.sort(Comparator.comparing(LayoutEntry::relativePath));
        layout.verify(split.configName(), out);
        return out;
    }

    /**
     * Object stores and HDFS: one flat recursive listing (a LIST per 1000 keys on S3, not one per "directory").
     * They have no named pipes; anything listed that is not a plain file (an HDFS symlink) is rejected.
     */
    private static List<LayoutEntry> listWithHadoop(FileSystem fs, Path root, SplitLayout layout) throws IOException {
        String rootPath = root.toUri().getPath();
        String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        List<LayoutEntry> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            Path p = fs.makeQualified(st.getPath());
            String path = p.toUri().getPath();
            if (!path.startsWith(prefix)) {
                throw new IllegalStateException("listed file " + p + " is not under " + root);
            }
            String rel = path.substring(prefix.length());
            out.add(st.isFile() ? layout.classify(rel, p.toString())
                    : layout.reject(rel, p.toString(), LayoutEntry.NOT_A_FILE, "not a plain file (symbolic link?)"));
        }
        return out;
    }
}
