package org.carotspark.data;

/**
 * Which prepared data a checkpoint was trained on or an evaluation computed over: the prep version (what a person
 * reads in manifest.json) and a digest of the content (every row's id, wnid and source-file SHA-256 from prep's
 * content-hash tables, with the prep settings that shape the stored images). Two versions are the same data when
 * their digests agree: a prep run again over unchanged sources publishes a new version of the same data, which
 * a run may resume on; a changed source, held-out carve or image setting is other data, which it may not.
 *
 * @param prepVersion the published version ("" for a root written before versioning)
 * @param digest      the content digest; "" where the tables are missing (then the versions are compared)
 */
public record DataVersion(String prepVersion, String digest) {

    public static final DataVersion UNVERSIONED = new DataVersion("", "");

    public DataVersion {
        prepVersion = prepVersion == null ? "" : prepVersion;
        digest = digest == null ? "" : digest;
    }

    /** Whether data recorded as {@code other} is this data. */
    public boolean sameDataAs(DataVersion other) {
        return !digest.isEmpty() && !other.digest.isEmpty() ? digest.equals(other.digest)
                : prepVersion.equals(other.prepVersion);
    }

    /** "prep version v2026…" or "an unversioned root", for messages. */
    public String describe() {
        return prepVersion.isEmpty() ? "an unversioned prep" : "prep version " + prepVersion;
    }
}
