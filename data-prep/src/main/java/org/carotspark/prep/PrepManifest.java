package org.carotspark.prep;

import org.carotspark.data.JsonMaps;
import org.carotspark.data.PreparedData;
import org.carotspark.data.Split;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the published prep version, image settings, one {@link SplitReport} per split and the
 * duplicate report. The copy at {@code <parquet-root>/manifest.json} is the pointer readers follow
 * ({@link PreparedData}); each version directory holds its own copy. Splits not processed by a run (disabled) keep
 * their previous entry, pointing at the older version's data.
 *
 * @param version          null only in manifests written before versioning
 * @param trainShortSide   the shorter side of the stored training images (kept whole); {@code imageSize} in
 *                         manifests written before training images were (they were centre crops then)
 * @param previousVersions the versions kept besides this one, newest first
 * @param duplicates       null in manifests written before duplicate detection
 */
public record PrepManifest(String version, List<String> previousVersions, int imageSize, int trainShortSide,
                           int jpegQuality,
                           double heldoutFraction, long heldoutSeed, Map<String, SplitReport> splits,
                           DuplicateReport duplicates) {

    private static final String TRAIN_SHORT_SIDE = "train_short_side";

    public PrepManifest {
        previousVersions = List.copyOf(previousVersions);
        // Split order as in Split, unknown names last.
        Map<String, SplitReport> ordered = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            if (splits.containsKey(s.configName())) {
                ordered.put(s.configName(), splits.get(s.configName()));
            }
        }
        new TreeMap<>(splits).forEach(ordered::putIfAbsent);
        splits = Collections.unmodifiableMap(ordered);
    }

    /**
     * The next version when one split is written on its own (a derived split such as ImageNet-C): this manifest's
     * splits with {@code report} added or replaced, and this version among the previous ones kept.
     */
    public PrepManifest withSplit(String newVersion, SplitReport report, int keepPreviousVersions) {
        Map<String, SplitReport> merged = new LinkedHashMap<>(splits);
        merged.put(report.split(), report);
        return new PrepManifest(newVersion, successorHistory(keepPreviousVersions), imageSize, trainShortSide,
                jpegQuality,
                heldoutFraction, heldoutSeed, merged, duplicates);
    }

    /** The previous versions a successor of this manifest keeps: this one, then its own, at most {@code keep}. */
    List<String> successorHistory(int keep) {
        List<String> history = new ArrayList<>();
        if (version != null) {
            history.add(version);
        }
        history.addAll(previousVersions);
        return List.copyOf(history.subList(0, Math.min(history.size(), keep)));
    }

    public SplitReport split(Split s) {
        return splits.get(s.configName());
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (version != null) {
            m.put(PreparedData.KEY_VERSION, version);
        }
        m.put("previous_versions", previousVersions);
        m.put(PreparedData.KEY_IMAGE_SIZE, imageSize);
        m.put(TRAIN_SHORT_SIDE, trainShortSide);
        m.put("jpeg_quality", jpegQuality);
        m.put("heldout_fraction", heldoutFraction);
        m.put("heldout_seed", heldoutSeed);
        Map<String, Object> s = new LinkedHashMap<>();
        splits.forEach((k, v) -> s.put(k, v.toJsonMap()));
        m.put(PreparedData.KEY_SPLITS, s);
        if (duplicates != null) {
            m.put("duplicates", duplicates.toJsonMap());
        }
        return JsonMaps.write(m, true);
    }

    /** Reads a manifest, also one an older version wrote; not a manifest: an {@link IllegalArgumentException}. */
    @SuppressWarnings("unchecked")
    public static PrepManifest fromJson(String json) {
        Map<String, Object> m;
        try {
            m = JsonMaps.read(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a prep manifest: " + e.getMessage(), e);
        }
        Map<String, SplitReport> splits = new LinkedHashMap<>();
        ((Map<String, Object>) m.get(PreparedData.KEY_SPLITS)).forEach((k, v) ->
                splits.put(k, SplitReport.fromJsonMap((Map<String, Object>) v)));
        Object previous = m.get("previous_versions");
        Object duplicates = m.get("duplicates");
        int imageSize = ((Number) m.get(PreparedData.KEY_IMAGE_SIZE)).intValue();
        Object trainShortSide = m.get(TRAIN_SHORT_SIDE);
        return new PrepManifest((String) m.get(PreparedData.KEY_VERSION),
                previous == null ? List.of() : (List<String>) previous, imageSize,
                trainShortSide == null ? imageSize : ((Number) trainShortSide).intValue(),
                ((Number) m.get("jpeg_quality")).intValue(),
                ((Number) m.get("heldout_fraction")).doubleValue(), ((Number) m.get("heldout_seed")).longValue(),
                splits, duplicates == null ? null : DuplicateReport.fromJsonMap((Map<String, Object>) duplicates));
    }
}
