package org.carotspark.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.carotspark.loss.LossTerms;
import org.carotspark.sparkutil.BulkFloatArray;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the workers of one round return, summed: parameters and AdamW state (parameter averaging: to be divided
 * by {@code workers}) or the gradient (exact mode), the loss terms of every minibatch, and where the tasks' time
 * went. The vectors cross Spark's serializers (Java or Kryo) as blocks of bytes ({@link BulkFloatArray}): both
 * would otherwise write them one float at a time.
 */
public final class WorkerResult implements Serializable, KryoSerializable {

    private static final long serialVersionUID = 1L;

    public transient float[] params;
    public transient float[] updaterState;
    public transient float[] gradient;
    public int workers;
    public int minibatches;
    public LossTerms terms = new LossTerms(List.of());
    public double fitSeconds;
    public double dataSeconds;
    public double teacherSeconds;
    public double maxTaskSeconds;

    public static WorkerResult empty() {
        return new WorkerResult();
    }

    /**
     * The timings and loss terms of {@code workers} workers' tasks, without parameters: what a mode whose state
     * stays on the workers reports (seconds summed over the workers; {@code slowestTaskSeconds} the longest task).
     */
    public static WorkerResult ofTasks(int workers, int minibatches, LossTerms terms, double dataSeconds,
                                       double teacherSeconds, double fitSeconds, double slowestTaskSeconds) {
        WorkerResult r = new WorkerResult();
        r.workers = workers;
        r.minibatches = minibatches;
        r.terms = terms;
        r.dataSeconds = dataSeconds;
        r.teacherSeconds = teacherSeconds;
        r.fitSeconds = fitSeconds;
        r.maxTaskSeconds = slowestTaskSeconds;
        return r;
    }

    /** Adds {@code other} into this result and returns it. */
    public WorkerResult merge(WorkerResult other) {
        if (other.workers == 0) {
            return this;
        }
        params = add(params, other.params);
        updaterState = add(updaterState, other.updaterState);
        gradient = add(gradient, other.gradient);
        workers += other.workers;
        minibatches += other.minibatches;
        terms = terms.merge(other.terms);
        fitSeconds += other.fitSeconds;
        dataSeconds += other.dataSeconds;
        teacherSeconds += other.teacherSeconds;
        maxTaskSeconds = Math.max(maxTaskSeconds, other.maxTaskSeconds);
        return this;
    }

    /** Fails unless all {@code expected} workers are in the sum ({@code what}: the round, for the message). */
    public void requireWorkers(int expected, String what) {
        if (workers != expected) {
            throw new IllegalStateException(what + " came back from " + workers + " of " + expected + " workers");
        }
    }

    private static float[] add(float[] sum, float[] x) {
        if (x == null) {
            return sum;
        }
        if (sum == null) {
            return x.clone();
        }
        if (sum.length != x.length) {
            throw new IllegalStateException("workers returned " + sum.length + " and " + x.length + " values");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += x[i];
        }
        return sum;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        writeVectors(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        readVectors(in);
    }

    @Override
    public void write(Kryo kryo, Output output) {
        output.writeInt(workers);
        output.writeInt(minibatches);
        kryo.writeObject(output, terms);
        output.writeDouble(fitSeconds);
        output.writeDouble(dataSeconds);
        output.writeDouble(teacherSeconds);
        output.writeDouble(maxTaskSeconds);
        try {
            writeVectors(new DataOutputStream(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void read(Kryo kryo, Input input) {
        workers = input.readInt();
        minibatches = input.readInt();
        terms = kryo.readObject(input, LossTerms.class);
        fitSeconds = input.readDouble();
        dataSeconds = input.readDouble();
        teacherSeconds = input.readDouble();
        maxTaskSeconds = input.readDouble();
        try {
            readVectors(new DataInputStream(input));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeVectors(java.io.DataOutput out) throws IOException {
        BulkFloatArray.write(out, params);
        BulkFloatArray.write(out, updaterState);
        BulkFloatArray.write(out, gradient);
    }

    private void readVectors(java.io.DataInput in) throws IOException {
        params = BulkFloatArray.read(in);
        updaterState = BulkFloatArray.read(in);
        gradient = BulkFloatArray.read(in);
    }

    /** The element-wise mean over workers of a summed vector. */
    public float[] mean(float[] sum) {
        float[] m = new float[sum.length];
        float inv = 1f / workers;
        for (int i = 0; i < m.length; i++) {
            m[i] = sum[i] * inv;
        }
        return m;
    }
}
