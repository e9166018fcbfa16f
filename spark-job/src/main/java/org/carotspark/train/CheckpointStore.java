package org.carotspark.train;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.ema.EmaTeacher;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Epoch checkpoints so a killed job resumes: student (with Adam state), EMA teacher, step.
 * Written to any Hadoop file system ({@code file://}, {@code hdfs://}, {@code s3a://}) under
 * {@code <dir>/<method>/epoch-N/}; the {@code LATEST} marker is written last, so a half-written
 * checkpoint is never picked up, and the previous epoch's checkpoint is kept beside the newest.
 * A checkpoint from a different configuration is ignored.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path root;
    private final Configuration hadoop;
    private final String fingerprint;

    /** Where a resumed run starts. */
    public record Restored(ComputationGraph student, EmaTeacher teacher, long step, int epochsDone) {
    }

    public CheckpointStore(String dir, Configuration hadoop, String fingerprint) {
        this.root = dir == null || dir.isBlank() ? null : new Path(dir);
        this.hadoop = hadoop;
        this.fingerprint = fingerprint;
    }

    public static CheckpointStore disabled() {
        return new CheckpointStore(null, null, "");
    }

    public void save(String method, ComputationGraph student, EmaTeacher teacher, long step, int epochsDone)
            throws IOException {
        if (root == null) {
            return;
        }
        Path methodDir = new Path(root, method);
        Path dir = new Path(methodDir, "epoch-" + epochsDone);
        FileSystem fs = methodDir.getFileSystem(hadoop);
        fs.delete(dir, true);
        try (FSDataOutputStream out = fs.create(new Path(dir, "student.zip"), true)) {
            ModelSerializer.writeModel(student, out, true);
        }
        float[] psi = teacher.snapshot();
        try (DataOutputStream out = new DataOutputStream(fs.create(new Path(dir, "teacher.bin"), true))) {
            out.writeInt(psi.length);
            out.writeInt(teacher.updates());
            for (float v : psi) {
                out.writeFloat(v);
            }
        }
        Properties state = new Properties();
        state.setProperty("step", Long.toString(step));
        state.setProperty("epochs-done", Integer.toString(epochsDone));
        state.setProperty("fingerprint", fingerprint);
        try (FSDataOutputStream out = fs.create(new Path(dir, "state.properties"), true)) {
            state.store(out, "CaRot-Spark checkpoint");
        }
        try (FSDataOutputStream out = fs.create(new Path(methodDir, "LATEST"), true)) {
            out.write(dir.getName().getBytes(StandardCharsets.UTF_8));
        }
        // Keep the previous checkpoint as well, in case the newest one turns out unreadable.
        for (int e = 1; e < epochsDone - 1; e++) {
            fs.delete(new Path(methodDir, "epoch-" + e), true);
        }
        LOG.info("{}: checkpoint after epoch {} (step {}) at {}", method, epochsDone, step, dir);
    }

    /** The latest complete checkpoint of this configuration, or null to start from scratch. */
    public Restored restore(String method) throws IOException {
        if (root == null) {
            return null;
        }
        Path methodDir = new Path(root, method);
        FileSystem fs = methodDir.getFileSystem(hadoop);
        Path latest = new Path(methodDir, "LATEST");
        if (!fs.exists(latest)) {
            return null;
        }
        String name;
        try (FSDataInputStream in = fs.open(latest)) {
            name = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        Path dir = new Path(methodDir, name);
        Properties state = new Properties();
        try (FSDataInputStream in = fs.open(new Path(dir, "state.properties"))) {
            state.load(in);
        }
        if (!fingerprint.equals(state.getProperty("fingerprint"))) {
            LOG.warn("{}: ignoring checkpoint {} written by a different configuration; training from scratch",
                    method, dir);
            return null;
        }
        ComputationGraph student;
        try (FSDataInputStream in = fs.open(new Path(dir, "student.zip"))) {
            student = ModelSerializer.restoreComputationGraph(in, true);
        }
        EmaTeacher teacher;
        try (DataInputStream in = new DataInputStream(fs.open(new Path(dir, "teacher.bin")))) {
            float[] psi = new float[in.readInt()];
            int updates = in.readInt();
            for (int i = 0; i < psi.length; i++) {
                psi[i] = in.readFloat();
            }
            teacher = EmaTeacher.restore(psi, updates);
        }
        return new Restored(student, teacher, Long.parseLong(state.getProperty("step")),
                Integer.parseInt(state.getProperty("epochs-done")));
    }
}
