package org.carotspark.sparkutil;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A {@code float[]} that crosses Spark's serializers, Java or Kryo, as blocks of bytes. Both serializers write a
 * {@code float[]} one value at a time (Java through {@code Bits.putFloat} per element), which made serialization
 * a large part of moving a 50 M-parameter model's state between driver and workers. Null travels as null.
 * {@link #write}/{@link #read} are the same encoding for files: a big-endian length, then big-endian values, as
 * {@code DataOutputStream.writeFloat} writes them.
 */
public final class BulkFloatArray implements Serializable, KryoSerializable {

    private static final long serialVersionUID = 1L;
    /** Floats per block: 256 KB of bytes, big enough to amortise the call, small enough to stay in cache. */
    private static final int BLOCK = 1 << 16;

    private transient float[] values;

    public BulkFloatArray(float[] values) {
        this.values = values;
    }

    /** The array (not a copy); null when null was sent. */
    public float[] values() {
        return values;
    }

    /** Writes {@code values} (may be null) as its length and its values. */
    public static void write(DataOutput out, float[] values) throws IOException {
        if (values == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(values.length);
        ByteBuffer bytes = ByteBuffer.allocate(4 * Math.max(1, Math.min(BLOCK, values.length)))
                .order(ByteOrder.BIG_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int off = 0; off < values.length; off += BLOCK) {
            int n = Math.min(BLOCK, values.length - off);
            floats.clear();
            floats.put(values, off, n);
            out.write(bytes.array(), 0, 4 * n);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static float[] read(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        float[] values = new float[length];
        ByteBuffer bytes = ByteBuffer.allocate(4 * Math.max(1, Math.min(BLOCK, length))).order(ByteOrder.BIG_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int off = 0; off < length; off += BLOCK) {
            int n = Math.min(BLOCK, length - off);
            in.readFully(bytes.array(), 0, 4 * n);
            floats.clear();
            floats.get(values, off, n);
        }
        return values;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        write(out, values);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        values = read(in);
    }

    @Override
    public void write(Kryo kryo, Output output) {
        try {
            write(new DataOutputStream(output), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void read(Kryo kryo, Input input) {
        try {
            values = read(new DataInputStream(input));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
