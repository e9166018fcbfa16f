package org.carotspark.prep;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.ParquetColumns;
import org.carotspark.data.PreparedData;
import org.carotspark.sparkutil.HadoopFs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The writer side of a Parquet root's versions (the reader side is {@link PreparedData}). A run writes everything
 * into a fresh {@code _versions/<version>/}, then a copy of its manifest there, then replaces
 * {@code manifest.json} at the root atomically: that last write is the moment the whole run becomes visible.
 * Nothing a reader can reach is ever modified in place, so a prep killed at any point leaves the previous
 * version published and intact; the next prep removes the unpublished directory.
 */
final class PrepOutputRoot {

    private static final Logger LOG = LoggerFactory.getLogger(PrepOutputRoot.class);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The published manifest as read at the start of a run. */
    record Current(Optional<PrepManifest> manifest, boolean unreadable) {
        static final Current NONE = new Current(Optional.empty(), false);
    }

    private final FileSystem fs;
    private final Path root;

    private PrepOutputRoot(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /**
     * Checks the root can be a directory and creates it.
     *
     * @throws UserFacingException when the root is an existing file or cannot be created
     */
    static PrepOutputRoot open(String parquetRoot, Configuration conf) throws IOException {
        Path root = HadoopFs.qualify(parquetRoot, conf);
        FileSystem fs = root.getFileSystem(conf);
        try {
            FileStatus st = fs.getFileStatus(root);
            if (!st.isDirectory()) {
                throw new UserFacingException("carot.data.parquet-root " + root + " is an existing file, not a "
                        + "directory: point it at a directory (it is created if missing)");
            }
        } catch (FileNotFoundException e) {
            try {
                if (!fs.mkdirs(root)) {
                    throw new UserFacingException("cannot create carot.data.parquet-root " + root);
                }
            } catch (IOException mkdirsFailed) {
                throw new UserFacingException("cannot create carot.data.parquet-root " + root + ": "
                        + mkdirsFailed.getMessage());
            }
        }
        return new PrepOutputRoot(fs, root);
    }

    FileSystem fs() {
        return fs;
    }

    Path root() {
        return root;
    }

    Path manifestPath() {
        return new Path(root, ParquetColumns.MANIFEST_FILE);
    }

    Current current() throws IOException {
        Path path = manifestPath();
        if (!fs.exists(path)) {
            return Current.NONE;
        }
        try {
            return new Current(Optional.of(PrepManifest.fromJson(HadoopFs.readString(path, fs.getConf()))), false);
        } catch (RuntimeException e) {
            LOG.warn("ignoring the unreadable manifest {} ({}): no split is carried over and no old version is "
                    + "removed this time", path, e.toString());
            return new Current(Optional.empty(), true);
        }
    }

    static String newVersionId(Clock clock) {
        return "v" + VERSION_TIME.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Relative to the root, '/'-separated: what manifests store, so a copied root stays readable. */
    static String relativeVersionDir(String version) {
        return PreparedData.VERSIONS_DIR + "/" + version;
    }

    Path resolve(String relative) {
        return new Path(root, relative);
    }

    /** Writes the version's own copy of its manifest (what garbage collection reads for older versions). */
    void writeVersionManifest(PrepManifest manifest) throws IOException {
        HadoopFs.writeString(new Path(resolve(relativeVersionDir(manifest.version())), ParquetColumns.MANIFEST_FILE),
                manifest.toJson(), fs.getConf());
    }

    /** The commit point: after this, readers resolve every split to this manifest's version. */
    void publish(PrepManifest manifest) throws IOException {
        HadoopFs.replaceAtomically(manifestPath(), manifest.toJson(), fs.getConf());
    }

    /**
     * Deletes every version directory that neither the published manifest nor the previous versions it keeps
     * refer to: unpublished runs that were killed, and versions older than {@code carot.prep.keep-previous-versions}.
     * Only ever called while holding the {@link PrepLock}, so no run is writing a directory that looks unpublished.
     */
    void collectGarbage(Current current) throws IOException {
        if (current.unreadable()) {
            return;
        }
        Set<String> live = new HashSet<>();
        current.manifest().ifPresent(m -> {
            live.addAll(referencedVersions(m));
            for (String previous : m.previousVersions()) {
                live.add(previous);
                readVersionManifest(previous).ifPresent(p -> live.addAll(referencedVersions(p)));
            }
        });
        FileStatus[] versions;
        try {
            versions = fs.listStatus(new Path(root, PreparedData.VERSIONS_DIR));
        } catch (FileNotFoundException e) {
            return;
        }
        List<String> removed = new ArrayList<>();
        for (FileStatus st : versions) {
            String name = st.getPath().getName();
            if (!live.contains(name)) {
                fs.delete(st.getPath(), true);
                removed.add(name);
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} unpublished or expired prep version(s) under {}: {}", removed.size(),
                    new Path(root, PreparedData.VERSIONS_DIR), removed);
        }
    }

    private static Set<String> referencedVersions(PrepManifest m) {
        Set<String> out = new HashSet<>();
        if (m.version() != null) {
            out.add(m.version());
        }
        m.splits().values().forEach(s -> {
            if (s.version() != null) {
                out.add(s.version());
            }
        });
        return out;
    }

    private Optional<PrepManifest> readVersionManifest(String version) {
        Path p = new Path(resolve(relativeVersionDir(version)), ParquetColumns.MANIFEST_FILE);
        try {
            return Optional.of(PrepManifest.fromJson(HadoopFs.readString(p, fs.getConf())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
