package org.carotspark.train;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.carotspark.loss.LossTerms;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A round's result survives both serializers a deployment may configure, every field of it. */
class WorkerResultSerializationTest {

    private static final ClassTag<WorkerResult> TAG = ClassTag$.MODULE$.apply(WorkerResult.class);

    @Test
    void everyFieldCrossesJavaAndKryo() {
        WorkerResult r = WorkerResult.empty();
        r.params = new float[] {1.5f, -2f, Float.NaN};
        r.updaterState = new float[100_000];
        r.updaterState[99_999] = 7f;
        r.workers = 2;
        r.minibatches = 5;
        r.terms = LossTerms.of(List.of("loss", "contrastive"), new double[] {0.25, 0.5});
        r.fitSeconds = 1.25;
        r.dataSeconds = 0.5;
        r.teacherSeconds = 0.125;
        r.maxTaskSeconds = 3.0;
        SparkConf conf = new SparkConf();
        for (SerializerInstance s : new SerializerInstance[] {new JavaSerializer(conf).newInstance(),
                new KryoSerializer(conf).newInstance()}) {
            WorkerResult back = s.deserialize(s.serialize(r, TAG), TAG);
            assertArrayEquals(r.params, back.params, 0f);
            assertArrayEquals(r.updaterState, back.updaterState, 0f);
            assertNull(back.gradient);
            assertEquals(2, back.workers);
            assertEquals(5, back.minibatches);
            assertEquals(r.terms.minibatches(), back.terms.minibatches());
            assertEquals(r.terms.names(), back.terms.names());
            assertArrayEquals(r.terms.means(), back.terms.means(), 0.0);
            assertEquals(1.25, back.fitSeconds);
            assertEquals(0.5, back.dataSeconds);
            assertEquals(0.125, back.teacherSeconds);
            assertEquals(3.0, back.maxTaskSeconds);
        }
    }
}
