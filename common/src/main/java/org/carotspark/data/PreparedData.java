package org.carotspark.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.HadoopFs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a Parquet root's splits are, as its readers (training, evaluation) must find them. Prep publishes every
 * run as one version: the splits under {@code <root>/_versions/<version>/<split>/}, then {@code <root>/manifest.json}
 * replaced atomically, last. The manifest is the pointer: a reader that resolves all its splits from one read
 * of it gets one consistent prep run (train and held-out drawn together), whatever a concurrent or killed prep
 * is doing. Roots written before versioning ({@code <root>/<split>/}, manifest with absolute paths) and roots
 * without a manifest (Parquet put there by hand) resolve as before.
 */
public final class PreparedData {

    /** Directory under the Parquet root holding one sub-directory per published (or in-progress) prep run. */
    public static final String VERSIONS_DIR = "_versions";
    /** Manifest keys shared with the writer. */
    public static final String KEY_VERSION = "version";
    public static final String KEY_SPLITS = "splits";
    /** A split's data directory relative to the root (versioned manifests). */
    public static final String KEY_PATH = "path";
    /** A split's data directory as a full URI (every manifest; the only location in pre-version manifests). */
    public static final String KEY_OUTPUT_PATH = "output_path";
    public static final String KEY_IMAGE_SIZE = "image_size";
    /** Per version, one table per split of every row's source-file SHA-256 (with id and wnid). */
    public static final String CONTENT_HASHES_DIR = "_content-hashes";
    public static final String CONTENT_SHA256 = "sha256";
    /** Manifest keys of the prep settings that shape the stored images. */
    private static final java.util.List<String> PREPARATION_KEYS = java.util.List.of(KEY_IMAGE_SIZE,
            "train_short_side", "jpeg_quality", "heldout_fraction", "heldout_seed");

    private final Path root;
    private final boolean hasManifest;
    private final String version;
    private final Integer imageSize;
    private final Map<String, Path> splits;
    private final Map<String, String> splitVersions;
    private final String preparation;

    private PreparedData(Path root, boolean hasManifest, String version, Integer imageSize, Map<String, Path> splits,
                         Map<String, String> splitVersions, String preparation) {
        this.preparation = preparation;
        this.root = root;
        this.hasManifest = hasManifest;
        this.version = version;
        this.imageSize = imageSize;
        this.splits = splits;
        this.splitVersions = splitVersions;
    }

    /** Reads {@code <parquetRoot>/manifest.json} once; every later answer comes from that one read. */
    public static PreparedData open(String parquetRoot, Configuration conf) throws IOException {
        Path root = HadoopFs.qualify(parquetRoot, conf);
        Path manifestPath = new Path(root, ParquetColumns.MANIFEST_FILE);
        if (!HadoopFs.exists(manifestPath, conf)) {
            return new PreparedData(root, false, null, null, Map.of(), Map.of(), "");
        }
        JsonNode manifest;
        try {
            manifest = new ObjectMapper().readTree(HadoopFs.readString(manifestPath, conf));
        } catch (JsonProcessingException e) {
            throw new UserFacingException("the prep manifest " + manifestPath + " is not valid JSON ("
                    + e.getOriginalMessage() + "): run prep again");
        }
        if (manifest == null || !manifest.isObject()) {
            throw new UserFacingException("the prep manifest " + manifestPath + " is not a JSON object: run prep again");
        }
        Map<String, Path> splits = new LinkedHashMap<>();
        Map<String, String> splitVersions = new LinkedHashMap<>();
        manifest.path(KEY_SPLITS).fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode entry = e.getValue();
            if (entry.hasNonNull(KEY_VERSION)) {
                splitVersions.put(name, entry.get(KEY_VERSION).asText());
            }
            if (entry.hasNonNull(KEY_PATH)) {
                splits.put(name, new Path(root, entry.get(KEY_PATH).asText()));
            } else if (entry.hasNonNull(KEY_OUTPUT_PATH)) {
                splits.put(name, new Path(entry.get(KEY_OUTPUT_PATH).asText()));
            }
        });
        return new PreparedData(root, true,
                manifest.hasNonNull(KEY_VERSION) ? manifest.get(KEY_VERSION).asText() : null,
                manifest.hasNonNull(KEY_IMAGE_SIZE) ? manifest.get(KEY_IMAGE_SIZE).asInt() : null, splits, splitVersions,
                preparation(manifest));
    }

    /**
     * The manifest's image-shaping settings as one string, each value in JSON (what the Typesafe Config renderer
     * that earlier versions read manifests with gave for the same values, so fingerprints built on it hold).
     */
    private static String preparation(JsonNode manifest) {
        StringBuilder out = new StringBuilder();
        for (String key : PREPARATION_KEYS) {
            out.append(key).append('=').append(manifest.hasNonNull(key) ? manifest.get(key).toString() : "-")
                    .append(';');
        }
        return out.toString();
    }

    /** The directory of a split's Parquet dataset. */
    public Path splitPath(String split) {
        if (!hasManifest) {
            return new Path(root, split);
        }
        Path p = splits.get(split);
        if (p == null) {
            throw new UserFacingException("split '" + split + "' has no prepared data in " + root + " (its manifest"
                    + (version == null ? "" : " version " + version) + " lists " + splits.keySet()
                    + "; run prep with that split enabled, or remove it from carot.eval.splits)");
        }
        return p;
    }

    public Path root() {
        return root;
    }

    /** The published prep version the paths belong to; empty for roots written before versioning. */
    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * The prep version that wrote a split (older than {@link #version()} for a split a later prep carried over
     * unchanged); empty for roots written before versioning.
     */
    public Optional<String> splitVersion(String split) {
        return Optional.ofNullable(splitVersions.get(split));
    }

    /** The prep settings that shaped the stored images, as the manifest records them (image size, JPEG quality...). */
    public String preparation() {
        return preparation;
    }

    /** Where prep put a split's content hashes, when the split was written by a versioned prep. */
    public Optional<Path> contentHashes(String split) {
        return splitVersion(split).map(v -> new Path(root, VERSIONS_DIR + "/" + v + "/" + CONTENT_HASHES_DIR + "/"
                + split));
    }

    /** {@code carot.prep.image-size} of the prepared images, when the manifest says. */
    public OptionalInt imageSize() {
        return imageSize == null ? OptionalInt.empty() : OptionalInt.of(imageSize);
    }
}
