package org.carotspark.prep;

import org.carotspark.data.PreparedData;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What prep did for one split; one entry of {@code manifest.json}. Invariant: seen = written + rejected.
 *
 * @param version     the prep version that wrote the split (an older one for a split carried over unchanged);
 *                    null in manifests written before versioning
 * @param path        the split's data directory relative to the Parquet root (null before versioning)
 * @param outputPath  the same directory as a full URI, for people and old readers
 * @param rejectsPath the split's rejects directory relative to the Parquet root (null before versioning)
 */
public record SplitReport(String split, String sourceRoot, String version, String path, String outputPath,
                          String rejectsPath, long filesSeen, long rowsWritten, long rowsRejected,
                          SortedMap<Integer, Long> rowsPerLabel, SortedMap<String, Long> rejectsByReason,
                          double seconds, String derivedFrom) {

    public SplitReport {
        rowsPerLabel = new TreeMap<>(rowsPerLabel);
        rejectsByReason = new TreeMap<>(rejectsByReason);
    }

    public boolean reconciles() {
        return filesSeen == rowsWritten + rowsRejected
                && rowsPerLabel.values().stream().mapToLong(Long::longValue).sum() == rowsWritten
                && rejectsByReason.values().stream().mapToLong(Long::longValue).sum() == rowsRejected;
    }

    Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split);
        m.put("source_root", sourceRoot);
        if (derivedFrom != null) {
            m.put("derived_from", derivedFrom);
        }
        putIfSet(m, PreparedData.KEY_VERSION, version);
        putIfSet(m, PreparedData.KEY_PATH, path);
        m.put(PreparedData.KEY_OUTPUT_PATH, outputPath);
        putIfSet(m, "rejects_path", rejectsPath);
        m.put("files_seen", filesSeen);
        m.put("rows_written", rowsWritten);
        m.put("rows_rejected", rowsRejected);
        Map<String, Object> perLabel = new LinkedHashMap<>();
        rowsPerLabel.forEach((k, v) -> perLabel.put(Integer.toString(k), v));
        m.put("rows_per_label", perLabel);
        m.put("rejects_by_reason", new LinkedHashMap<>(rejectsByReason));
        m.put("seconds", Math.round(seconds * 1000) / 1000.0);
        return m;
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @SuppressWarnings("unchecked")
    static SplitReport fromJsonMap(Map<String, Object> m) {
        SortedMap<Integer, Long> perLabel = new TreeMap<>();
        ((Map<String, Object>) m.get("rows_per_label")).forEach((k, v) -> perLabel.put(Integer.parseInt(k),
                ((Number) v).longValue()));
        SortedMap<String, Long> reasons = new TreeMap<>();
        ((Map<String, Object>) m.get("rejects_by_reason")).forEach((k, v) -> reasons.put(k, ((Number) v).longValue()));
        return new SplitReport((String) m.get("split"), (String) m.get("source_root"),
                (String) m.get(PreparedData.KEY_VERSION), (String) m.get(PreparedData.KEY_PATH),
                (String) m.get(PreparedData.KEY_OUTPUT_PATH), (String) m.get("rejects_path"),
                ((Number) m.get("files_seen")).longValue(), ((Number) m.get("rows_written")).longValue(),
                ((Number) m.get("rows_rejected")).longValue(), perLabel, reasons,
                ((Number) m.get("seconds")).doubleValue(), (String) m.get("derived_from"));
    }
}
