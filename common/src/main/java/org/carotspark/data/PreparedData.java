package org.carotspark.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
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
        Config manifest;
        try {
            manifest = ConfigFactory.parseString(HadoopFs.readString(manifestPath, conf),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        } catch (ConfigException e) {
            throw new UserFacingException("the prep manifest " + manifestPath + " is not valid JSON ("
                    + e.getMessage() + "): run prep again");
        }
        Map<String, Path> splits = new LinkedHashMap<>();
        Map<String, String> splitVersions = new LinkedHashMap<>();
        if (manifest.hasPath(KEY_SPLITS)) {
            Config s = manifest.getConfig(KEY_SPLITS);
            for (String name : s.root().keySet()) {
                Config entry = s.getConfig(ConfigUtil.quoteString(name));
                if (entry.hasPath(KEY_VERSION)) {
                    splitVersions.put(name, entry.getString(KEY_VERSION));
                }
                if (entry.hasPath(KEY_PATH)) {
                    splits.put(name, new Path(root, entry.getString(KEY_PATH)));
                } else if (entry.hasPath(KEY_OUTPUT_PATH)) {
                    splits.put(name, new Path(entry.getString(KEY_OUTPUT_PATH)));
                }
            }
        }
        return new PreparedData(root, true,
                manifest.hasPath(KEY_VERSION) ? manifest.getString(KEY_VERSION) : null,
                manifest.hasPath(KEY_IMAGE_SIZE) ? manifest.getInt(KEY_IMAGE_SIZE) : null, splits, splitVersions,
                preparation(manifest));
    }

    private static String preparation(Config manifest) {
        StringBuilder out = new StringBuilder();
        for (String key : PREPARATION_KEYS) {
            out.append(key).append('=').append(manifest.hasPath(key)
                    ? manifest.getValue(key).render(com.typesafe.config.ConfigRenderOptions.concise()) : "-").append(';');
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
