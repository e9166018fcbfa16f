package org.carotspark.layout;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.sparkutil.HadoopFs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels of ILSVRC2012 val kept flat ({@code val/ILSVRC2012_val_00000001.JPEG ...}), from the label file
 * its user actually has, recognised by content:
 * <ul>
 * <li>the Kaggle release's {@code LOC_val_solution.csv} ({@code ImageId,PredictionString}, the first
 * token of the prediction string is the wnid): the same release ships {@code LOC_synset_mapping.txt},
 * the synset file this project reads, so its users have both;</li>
 * <li>one wnid per line, line i for {@code ILSVRC2012_val_<i>} (e.g. TensorFlow's
 * {@code imagenet_2012_validation_synset_labels.txt});</li>
 * <li>the devkit's {@code ILSVRC2012_validation_ground_truth.txt}: one ILSVRC2012_ID (1..1000) per line.
 * Those ids follow the devkit's own synset order (its {@code meta.mat}), not the sorted-wnid order of
 * the class indices, so this format also needs {@code carot.data.metadata.devkit-synsets}: the wnids
 * in ILSVRC2012_ID order, one per line (from meta.mat: {@code synsets[i].WNID} for
 * {@code ILSVRC2012_ID} = 1..1000, e.g. with scipy.io.loadmat).</li>
 * </ul>
 * Keys are image names without extension; values class indices (synset-file order).
 */
public final class ValLabels {

    static final String KAGGLE_HEADER = "ImageId,PredictionString";

    private ValLabels() {
    }

    /**
     * @param devkitSynsetsPath wnids in ILSVRC2012_ID order, needed only for the devkit's ground-truth format
     *                          ("" when not configured)
     */
    public static Map<String, Integer> load(String labelsPath, String devkitSynsetsPath, DatasetMetadata meta,
                                            Configuration conf) {
        List<String> lines = lines(labelsPath, conf, "carot.data.splits.imagenet.labels");
        if (lines.isEmpty()) {
            throw malformed(labelsPath, "no lines");
        }
        Map<String, Integer> labels = new HashMap<>();
        if (lines.get(0).strip().equals(KAGGLE_HEADER)) {
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty()) {
                    continue;
                }
                int comma = line.indexOf(',');
                String[] prediction = comma < 0 ? new String[0] : line.substring(comma + 1).strip().split("\\s+");
                if (comma <= 0 || prediction.length == 0 || prediction[0].isEmpty()) {
                    throw malformed(labelsPath, "line " + (i + 1) + " is not 'ImageId,<wnid> ...': '" + line + "'");
                }
                put(labels, line.substring(0, comma).strip(), classOf(meta, prediction[0], labelsPath, i + 1),
                        labelsPath, i + 1);
            }
            return labels;
        }
        boolean wnids = lines.get(0).strip().matches("n\\d{8}");
        List<String> devkit = wnids ? List.of() : devkitOrder(devkitSynsetsPath, labelsPath, conf);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String image = String.format("ILSVRC2012_val_%08d", i + 1);
            if (wnids) {
                put(labels, image, classOf(meta, line, labelsPath, i + 1), labelsPath, i + 1);
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw malformed(labelsPath, "line " + (i + 1) + " is neither a wnid nor an ILSVRC2012_ID: '" + line
                        + "'");
            }
            if (id < 1 || id > devkit.size()) {
                throw malformed(labelsPath, "line " + (i + 1) + ": ILSVRC2012_ID " + id + " outside 1.." + devkit.size());
            }
            put(labels, image, classOf(meta, devkit.get(id - 1), devkitSynsetsPath, id), labelsPath, i + 1);
        }
        return labels;
    }

    private static List<String> devkitOrder(String path, String labelsPath, Configuration conf) {
        if (path.isEmpty()) {
            throw new UserFacingException(labelsPath + " holds devkit ILSVRC2012_IDs, which follow the devkit's synset"
                    + " order: set carot.data.metadata.devkit-synsets to the wnids in ILSVRC2012_ID order (from the"
                    + " devkit's meta.mat), or use the Kaggle LOC_val_solution.csv, or sort val into <wnid>/ folders");
        }
        List<String> out = new ArrayList<>();
        for (String l : lines(path, conf, "carot.data.metadata.devkit-synsets")) {
            if (!l.isBlank()) {
                out.add(l.strip().split("\\s+")[0]);
            }
        }
        return out;
    }

    private static int classOf(DatasetMetadata meta, String wnid, String path, int line) {
        int c = meta.classIndex(wnid);
        if (c < 0) {
            throw malformed(path, "line " + line + ": wnid " + wnid + " is not in the synset file");
        }
        return c;
    }

    private static void put(Map<String, Integer> labels, String image, int label, String path, int line) {
        if (labels.put(image, label) != null) {
            throw malformed(path, "line " + line + " labels " + image + " a second time");
        }
    }

    private static List<String> lines(String path, Configuration conf, String key) {
        try {
            List<String> out = new ArrayList<>(List.of(HadoopFs.readString(new Path(path), conf).split("\r?\n", -1)));
            while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
                out.remove(out.size() - 1);
            }
            return out;
        } catch (FileNotFoundException e) {
            throw new UserFacingException(key + " file not found: " + path);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserFacingException("cannot read " + key + " file " + path + ": " + e.getMessage(), e);
        }
    }

    private static UserFacingException malformed(String path, String detail) {
        return new UserFacingException("malformed ImageNet val labels file " + path + ": " + detail);
    }
}
