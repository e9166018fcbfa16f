package org.carotspark.prep;

import org.carotspark.seed.Seeds;

/**
 * Chooses the ID held-out split deterministically: a train file is held out when a seeded hash of its train id,
 * read as a uniform number in [0, 1), is below the fraction. Independent of listing order, Spark
 * partitioning and JVM, and stable when files are added or removed.
 */
public final class HeldOutSelector {

    private HeldOutSelector() {
    }

    /** @param trainId the file's id in the train split, {@code imagenet-train/<relative path>} */
    public static boolean isHeldOut(String trainId, long seed, double fraction) {
        return fraction > 0 && Seeds.unit(seed, "heldout", trainId) < fraction;
    }
}
