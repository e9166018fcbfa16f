package org.carotspark.sparkutil;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BulkFloatArrayTest {

    /** Lengths around the block size, and values whose bits must survive: NaN payloads, -0, infinities. */
    private static float[] values(int n) {
        Random r = new Random(n);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (i % 7) {
                case 0 -> Float.intBitsToFloat(0x7fc01234);
                case 1 -> -0f;
                case 2 -> Float.NEGATIVE_INFINITY;
                default -> (float) r.nextGaussian();
            };
        }
        return v;
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "index " + i);
        }
    }

    @Test
    void crossesJavaAndKryoSerializationBitForBit() {
        SparkConf conf = new SparkConf();
        for (SerializerInstance s : new SerializerInstance[] {new JavaSerializer(conf).newInstance(),
                new KryoSerializer(conf).newInstance()}) {
            for (int n : new int[] {0, 1, 65_535, 65_536, 65_537, 200_003}) {
                float[] v = values(n);
                ByteBuffer bytes = s.serialize(new BulkFloatArray(v), ClassTag$.MODULE$.apply(BulkFloatArray.class));
                BulkFloatArray back = s.deserialize(bytes, ClassTag$.MODULE$.apply(BulkFloatArray.class));
                assertSameBits(v, back.values());
            }
            BulkFloatArray none = s.deserialize(s.serialize(new BulkFloatArray(null),
                    ClassTag$.MODULE$.apply(BulkFloatArray.class)), ClassTag$.MODULE$.apply(BulkFloatArray.class));
            assertNull(none.values());
        }
    }

    /**
     * Checkpoints written one DataOutputStream.writeFloat at a time read back unchanged, and the bulk encoding is that
     * layout with raw bits (writeFloat would canonicalise NaN payloads; the bulk path keeps them).
     */
    @Test
    void fileEncodingIsDataOutputStreamsLengthAndFloats() throws IOException {
        float[] v = values(70_001);
        ByteArrayOutputStream perValue = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(perValue);
        d.writeInt(v.length);
        for (float x : v) {
            d.writeInt(Float.floatToRawIntBits(x));
        }
        ByteArrayOutputStream bulk = new ByteArrayOutputStream();
        BulkFloatArray.write(new DataOutputStream(bulk), v);
        assertArrayEquals(perValue.toByteArray(), bulk.toByteArray());
        assertSameBits(v, BulkFloatArray.read(new DataInputStream(new ByteArrayInputStream(perValue.toByteArray()))));
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(old);
        o.writeInt(2);
        o.writeFloat(1.5f);
        o.writeFloat(-0f);
        assertSameBits(new float[] {1.5f, -0f}, BulkFloatArray.read(new DataInputStream(
                new ByteArrayInputStream(old.toByteArray()))));
    }
}
