package org.carotspark.train;

import org.apache.spark.SparkConf;
import org.carotspark.config.UserFacingException;

import java.util.Locale;

/**
 * Whether the driver can hold a parameter-averaging round: every round broadcasts θ and AdamW's two
 * moments and gets their sum back as two task results, the halves of {@link PairwiseSum}'s tree — 12 bytes per
 * parameter each (1.8 GB for ViT-B/16).
 * Checked from the parameter count before the first round, so a too-small setting is one line, not a
 * job that aborts in round one after minutes of start-up.
 */
final class RoundCapacity {

    /** Driver heap per payload byte: the two halves' results, their serialised bytes, and the next broadcast. */
    static final double HEAP_PER_PAYLOAD_BYTE = 3.5;
    /**
     * In local mode the executors run in the driver's JVM: per worker its result arrays, their serialised copy
     * on the way through the shuffle and the snapshot it started the round from. The bench's 51 M-parameter
     * model ran a 4 GB heap out of memory with two workers before this was counted.
     */
    static final double LOCAL_HEAP_PER_WORKER_PAYLOAD_BYTE = 3.0;

    private RoundCapacity() {
    }

    /** Bytes a round moves each way: parameters plus updater state, as floats. */
    static long payloadBytes(long params, long updaterState) {
        return 4L * (params + updaterState);
    }

    static void check(SparkConf conf, long params, long updaterState, long driverHeapBytes, int workers) {
        long payload = payloadBytes(params, updaterState);
        long returned = Math.min(workers, PairwiseSum.RESULTS_TO_DRIVER) * payload;
        long maxResult = conf.getSizeAsBytes("spark.driver.maxResultSize", "1g");
        if (maxResult > 0 && returned > maxResult) {
            throw new UserFacingException(String.format(Locale.ROOT, "a parameter-averaging round returns %s (θ and"
                    + " AdamW's moments of %,d parameters, %s per partial sum) to the driver, more than"
                    + " spark.driver.maxResultSize = %s: set it to at least %s", human(returned), params, human(payload),
                    human(maxResult), human(returned + payload)));
        }
        if ("org.apache.spark.serializer.KryoSerializer".equals(conf.get("spark.serializer", ""))) {
            long kryoMax = conf.getSizeAsBytes("spark.kryoserializer.buffer.max", "64m");
            if (payload > kryoMax) {
                throw new UserFacingException(String.format(Locale.ROOT, "a round's state is %s, more than"
                        + " spark.kryoserializer.buffer.max = %s (Kryo serialises the broadcast and the result):"
                        + " raise it (at most 2047m) or use Java serialization", human(payload), human(kryoMax)));
            }
        }
        boolean local = conf.get("spark.master", "").startsWith("local");
        double perPayloadByte = HEAP_PER_PAYLOAD_BYTE + (local ? workers * LOCAL_HEAP_PER_WORKER_PAYLOAD_BYTE : 0);
        if (driverHeapBytes < perPayloadByte * payload) {
            throw new UserFacingException(String.format(Locale.ROOT, "the driver's heap (%s) cannot hold a round of"
                    + " %s%s: give it at least %s (spark.driver.memory, or -Xmx for bin/carot)", human(driverHeapBytes),
                    human(payload), local ? " and, in local mode, its " + workers + " workers' copies" : "",
                    human((long) (perPayloadByte * payload))));
        }
    }

    private static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
    }
}
