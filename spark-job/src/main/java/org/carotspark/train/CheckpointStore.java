package org.carotspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.sparkutil.BulkFloatArray;
import org.carotspark.config.SettingsFingerprint;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DataVersion;
import org.carotspark.ema.EmaTeacher;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Checkpoints so a killed job resumes: student (with AdamW state), EMA teacher, global step — on any Hadoop
 * file system ({@code file://}, {@code hdfs://}, {@code s3a://}) under {@code <dir>/<method>/step-N/}.
 *
 * <p>A checkpoint is written into {@code step-N.tmp/}, each file's SHA-256 recorded in its
 * {@code state.properties}, then renamed into place, and {@code LATEST} names it last; the previous one is
 * kept. Restore verifies the checksums and falls back, with a warning, to the newest checkpoint that
 * verifies — a truncated student, an empty or missing {@code LATEST}, a half-written directory are all
 * passed over. A checkpoint of different settings is passed over, with one line naming the keys that differ;
 * one of the same settings trained on other data (another prep version whose content digest differs: see
 * {@link DataVersion}) is refused (or, with {@code carot.train.restart-on-prep-change}, passed over). A write that fails (a full disk) is one line naming the
 * path, and leaves no directory that looks complete.
 *
 * <p>Pruning after a write removes only checkpoints of the same settings and data that are older than the two
 * kept, never the one just written: a rerun with changed settings in the same directory keeps its own progress
 * whatever step numbers the earlier run reached.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    static final String LATEST = "LATEST";
    static final String STUDENT = "student.zip";
    static final String TEACHER = "teacher.bin";
    static final String STATE = "state.properties";
    private static final String PREFIX = "step-";
    private static final String TMP = ".tmp";
    private static final String FINGERPRINT = "fingerprint";
    private static final String PREP_VERSION = "prep-version";
    private static final String DATA_DIGEST = "data-digest";
    /** Prefix of the recorded settings in {@code state.properties}, so a change can name its keys. */
    private static final String SETTING = "setting.";
    /** The key that turns a refused resume across prep versions into training afresh. */
    public static final String RESTART_ON_PREP_CHANGE = "carot.train.restart-on-prep-change";
    /** Checkpoints kept per method: the newest and the one before. */
    private static final int KEEP = 2;

    private final Path root;
    private final Configuration hadoop;
    private final SettingsFingerprint fingerprint;
    private final DataVersion data;
    private final boolean restartOnPrepChange;

    /** Where a resumed run starts. */
    public record Restored(ComputationGraph student, EmaTeacher teacher, long step) {
    }

    /** A store for settings known only by a digest, over unversioned data (tests, tools). */
    public CheckpointStore(String dir, Configuration hadoop, String fingerprint) {
        this(dir, hadoop, SettingsFingerprint.opaque(fingerprint), DataVersion.UNVERSIONED, false);
    }

    /**
     * @param fingerprint         the settings that determine the numbers
     * @param data                the prepared data training reads
     * @param restartOnPrepChange train afresh instead of refusing when the newest checkpoint used other data
     */
    public CheckpointStore(String dir, Configuration hadoop, SettingsFingerprint fingerprint, DataVersion data,
                           boolean restartOnPrepChange) {
        this.root = dir == null || dir.isBlank() ? null : new Path(dir);
        this.hadoop = hadoop;
        this.fingerprint = fingerprint;
        this.data = data;
        this.restartOnPrepChange = restartOnPrepChange;
    }

    public static CheckpointStore disabled() {
        return new CheckpointStore(null, null, "");
    }

    public boolean enabled() {
        return root != null;
    }

    /** The directory of a method's checkpoints (and its finished evaluation rows). */
    Path methodDir(String method) {
        return new Path(root, method);
    }

    public void save(String method, ComputationGraph student, EmaTeacher teacher, long step) {
        if (root == null) {
            return;
        }
        Path methodDir = methodDir(method);
        Path dir = new Path(methodDir, PREFIX + step);
        Path tmp = new Path(methodDir, PREFIX + step + TMP);
        try {
            FileSystem fs = methodDir.getFileSystem(hadoop);
            fs.delete(tmp, true);
            Properties state = new Properties();
            state.setProperty("step", Long.toString(step));
            state.setProperty(FINGERPRINT, fingerprint.digest());
            state.setProperty(PREP_VERSION, data.prepVersion());
            state.setProperty(DATA_DIGEST, data.digest());
            fingerprint.settings().forEach((k, v) -> state.setProperty(SETTING + k, v));
            state.setProperty("teacher-updates", Integer.toString(teacher.updates()));
            state.setProperty(STUDENT, write(fs, new Path(tmp, STUDENT), out -> ModelSerializer.writeModel(student, out, true)));
            state.setProperty(TEACHER, write(fs, new Path(tmp, TEACHER), out -> writeFloats(out, teacher.snapshot())));
            write(fs, new Path(tmp, STATE), out -> state.store(out, "CaRot-Spark checkpoint"));
            fs.delete(dir, true);
            if (!fs.rename(tmp, dir)) {
                throw new IOException("cannot rename " + tmp + " to " + dir);
            }
            write(fs, new Path(methodDir, LATEST), out -> out.write(dir.getName().getBytes(StandardCharsets.UTF_8)));
            pruneOlderThan(fs, methodDir, dir, step);
        } catch (IOException | FSError e) {
            deleteQuietly(tmp);
            throw UserFacingException.because("cannot write the checkpoint " + dir, e);
        }
        LOG.info("{}: checkpoint at step {} in {}", method, step, dir);
    }

    /**
     * The newest checkpoint of this configuration that verifies, or null to start from scratch. A store that
     * cannot be listed at all (unreachable, no permission) is one line: resuming silently from scratch would
     * throw away a long run.
     */
    public Restored restore(String method) {
        if (root == null) {
            return null;
        }
        Path methodDir = methodDir(method);
        FileSystem fs;
        List<Path> candidates = new ArrayList<>();
        Path latest;
        try {
            fs = methodDir.getFileSystem(hadoop);
            if (!fs.exists(methodDir)) {
                return null;
            }
            latest = latest(fs, methodDir);
            if (latest != null) {
                candidates.add(latest);
            }
            for (Path p : checkpointsNewestFirst(fs, methodDir)) {
                if (!candidates.contains(p)) {
                    candidates.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw UserFacingException.because("cannot read the checkpoints in " + methodDir, e);
        }
        Path otherSettings = null;
        Properties otherState = null;
        for (Path dir : candidates) {
            try {
                Properties state = readState(fs, dir);
                if (!fingerprint.digest().equals(state.getProperty(FINGERPRINT))) {
                    if (otherSettings == null) {
                        otherSettings = dir;
                        otherState = state;
                    }
                    continue;
                }
                DataVersion trainedOn = dataOf(state);
                if (!trainedOn.sameDataAs(data)) {
                    String what = method + ": the checkpoint " + dir + " was trained on " + trainedOn.describe()
                            + " but the data is now " + data.describe() + ", with other content";
                    if (!restartOnPrepChange) {
                        throw new UserFacingException(what + ": resuming would mix two versions of the data; point"
                                + " carot.data.parquet-root at the data it trained on, or set "
                                + RESTART_ON_PREP_CHANGE + " = true to train afresh");
                    }
                    LOG.warn("{}: training afresh ({} = true)", what, RESTART_ON_PREP_CHANGE);
                    return null;
                }
                Restored r = read(fs, dir, state);
                if (!dir.equals(latest)) {
                    LOG.warn("{}: resuming from the older checkpoint {}: the newest is missing or unreadable", method,
                            dir);
                }
                return r;
            } catch (UserFacingException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: checkpoint {} is unreadable ({}); trying an older one", method, dir, e.getMessage());
            }
        }
        if (otherSettings != null) {
            LOG.warn("{}: the settings changed since the checkpoint {} ({}): training afresh", method,
                    otherSettings, fingerprint.describeDifference(settings(otherState)));
        } else if (!candidates.isEmpty()) {
            LOG.warn("{}: no usable checkpoint in {}; training from scratch", method, methodDir);
        }
        return null;
    }

    private static DataVersion dataOf(Properties state) {
        return new DataVersion(state.getProperty(PREP_VERSION, ""), state.getProperty(DATA_DIGEST, ""));
    }

    /** The settings a checkpoint recorded (empty for checkpoints that recorded only a digest). */
    private static Map<String, String> settings(Properties state) {
        Map<String, String> out = new TreeMap<>();
        for (String name : state.stringPropertyNames()) {
            if (name.startsWith(SETTING)) {
                out.put(name.substring(SETTING.length()), state.getProperty(name));
            }
        }
        return out;
    }

    private static Properties readState(FileSystem fs, Path dir) throws IOException {
        Properties state = new Properties();
        try (InputStream in = fs.open(new Path(dir, STATE))) {
            state.load(in);
        }
        return state;
    }

    /**
     * Removes checkpoints of these settings and this data older than {@code written} and the newest one before it;
     * checkpoints of other settings or data, or whose state cannot be read, are left alone.
     */
    private void pruneOlderThan(FileSystem fs, Path methodDir, Path written, long step) throws IOException {
        int kept = 1;
        for (Path p : checkpointsNewestFirst(fs, methodDir)) {
            if (p.equals(written) || stepOf(p) >= step) {
                continue;
            }
            Properties state;
            try {
                state = readState(fs, p);
            } catch (IOException e) {
                continue;
            }
            if (fingerprint.digest().equals(state.getProperty(FINGERPRINT)) && dataOf(state).sameDataAs(data)) {
                if (kept < KEEP) {
                    kept++;
                } else {
                    fs.delete(p, true);
                }
            }
        }
    }

    private static long stepOf(Path checkpoint) {
        return Long.parseLong(checkpoint.getName().substring(PREFIX.length()));
    }

    private Restored read(FileSystem fs, Path dir, Properties state) throws IOException {
        verify(fs, new Path(dir, STUDENT), state.getProperty(STUDENT));
        verify(fs, new Path(dir, TEACHER), state.getProperty(TEACHER));
        ComputationGraph student;
        try (InputStream in = new BufferedInputStream(fs.open(new Path(dir, STUDENT)))) {
            student = ModelSerializer.restoreComputationGraph(in, true);
        }
        float[] psi;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(fs.open(new Path(dir, TEACHER))))) {
            psi = BulkFloatArray.read(in);
        }
        long step = Long.parseLong(state.getProperty("step"));
        student.getConfiguration().setIterationCount(Math.toIntExact(step));
        return new Restored(student, EmaTeacher.restore(psi, Integer.parseInt(state.getProperty("teacher-updates"))),
                step);
    }

    /** The checkpoint {@code LATEST} names, or null when it is missing, empty or names nothing. */
    private static Path latest(FileSystem fs, Path methodDir) {
        try (FSDataInputStream in = fs.open(new Path(methodDir, LATEST))) {
            String name = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return name.startsWith(PREFIX) && !name.endsWith(TMP) ? new Path(methodDir, name) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> checkpointsNewestFirst(FileSystem fs, Path methodDir) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (FileStatus s : fs.listStatus(methodDir)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.matches(PREFIX + "\\d+")) {
                dirs.add(s.getPath());
            }
        }
        dirs.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
        return dirs;
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a file through a buffer and returns its SHA-256. */
    private static String write(FileSystem fs, Path path, Writer body) throws IOException {
        MessageDigest sha = sha256();
        try (FSDataOutputStream raw = fs.create(path, true);
             DigestOutputStream out = new DigestOutputStream(new BufferedOutputStream(raw, 1 << 20), sha)) {
            body.write(out);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        BulkFloatArray.write(data, values);
        data.flush();
    }

    private static void verify(FileSystem fs, Path file, String expected) throws IOException {
        if (expected == null) {
            throw new IOException("no checksum recorded for " + file);
        }
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(new BufferedInputStream(fs.open(file), 1 << 20), sha)) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting
            }
        }
        if (!HexFormat.of().formatHex(sha.digest()).equals(expected)) {
            throw new IOException(file + " does not match its checksum (truncated or changed)");
        }
    }

    private void deleteQuietly(Path path) {
        try {
            path.getFileSystem(hadoop).delete(path, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove the partial checkpoint {}: {}", path, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
