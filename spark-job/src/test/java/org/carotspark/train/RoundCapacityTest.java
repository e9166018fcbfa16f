package org.carotspark.train;

import org.apache.spark.SparkConf;
import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoundCapacityTest {

    private static final long VIT_B16 = 149_620_737;

    /** ViT-B/16 with AdamW: 12 bytes per parameter each way, 1.7 GB: Spark's default 1g does not hold it. */
    @Test
    void viTB16DoesNotFitSparksDefaultResultSizeAndTheMessageSaysWhatToSet() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> RoundCapacity.check(new SparkConf(false), VIT_B16, 2 * VIT_B16, 64L << 30, 8));
        assertTrue(e.getMessage().contains("spark.driver.maxResultSize = 1.0 GB") && e.getMessage().contains("3.3 GB"),
                e.getMessage());
        SparkConf sized = new SparkConf(false).set("spark.driver.maxResultSize", "4g");
        assertDoesNotThrow(() -> RoundCapacity.check(sized, VIT_B16, 2 * VIT_B16, 16L << 30, 8));
        UserFacingException heap = assertThrows(UserFacingException.class,
                () -> RoundCapacity.check(sized, VIT_B16, 2 * VIT_B16, 2L << 30, 8));
        assertTrue(heap.getMessage().contains("spark.driver.memory"), heap.getMessage());
        SparkConf kryo = new SparkConf(false).set("spark.driver.maxResultSize", "0")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        assertTrue(assertThrows(UserFacingException.class, () -> RoundCapacity.check(kryo, VIT_B16, 2 * VIT_B16,
                16L << 30, 8)).getMessage().contains("spark.kryoserializer.buffer.max"));
    }

    /** In local mode the workers' round state shares the driver's heap (the bench's 51 M model on 4 GB). */
    @Test
    void inLocalModeTheWorkersCopiesCountAgainstTheDriverHeap() {
        long params = 51_087_873L;
        SparkConf local = new SparkConf(false).setMaster("local[2]").set("spark.driver.maxResultSize", "4g");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> RoundCapacity.check(local, params, 2 * params, 4L << 30, 2));
        assertTrue(e.getMessage().contains("in local mode, its 2 workers' copies"), e.getMessage());
        assertDoesNotThrow(() -> RoundCapacity.check(local, params, 2 * params, 12L << 30, 2));
        SparkConf cluster = new SparkConf(false).setMaster("yarn").set("spark.driver.maxResultSize", "4g");
        assertDoesNotThrow(() -> RoundCapacity.check(cluster, params, 2 * params, 4L << 30, 2),
                "on a cluster the workers' state lives in the executors");
    }
}
