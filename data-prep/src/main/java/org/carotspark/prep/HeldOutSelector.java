package org.carotspark.prep;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Chooses the ID held-out split deterministically: a train file is held out when a seeded SHA-256 hash of its
 * train id, read as a uniform number in [0, 1), is below the fraction. Independent of listing order, Spark
 * partitioning and JVM, and stable when files are added or removed.
 */
public final class HeldOutSelector {

    private HeldOutSelector() {
    }

    /** Uniform in [0, 1) for a (seed, id) pair. */
    public static double unitHash(long seed, String id) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            md.update(id.getBytes(StandardCharsets.UTF_8));
            long h = ByteBuffer.wrap(md.digest()).getLong();
            return (h >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param trainId the file's id in the train split, {@code imagenet-train/<relative path>} */
    public static boolean isHeldOut(String trainId, long seed, double fraction) {
        return fraction > 0 && unitHash(seed, trainId) < fraction;
    }
}
