package org.carotspark.train.epoch;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.seed.Seeds;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One epoch's deterministic shuffle: each example's position is the rank of a seeded 64-bit hash of
 * (id, epoch) among all examples' hashes. Only the hashes are sorted (on the driver: 8 bytes per example,
 * 10 MB for ImageNet-1K's train set), so the JPEG bytes move once per epoch — straight to the partition of
 * the round and worker that trains them. Equal hashes (about one in 10⁸ ImageNet epochs) are ordered by id.
 */
public final class EpochShuffle implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The hash an example is ranked by. */
    interface Key extends Serializable {
        long of(String id);
    }

    private final Key key;
    private final long[] sortedKeys;
    /** The ids sharing each tied hash, sorted. */
    private final Map<Long, List<String>> ties;

    private EpochShuffle(Key key, long[] sortedKeys, Map<Long, List<String>> ties) {
        this.key = key;
        this.sortedKeys = sortedKeys;
        this.ties = ties;
    }

    /** The shuffle of {@code epoch} over the example ids in {@code ids} (a Spark job over the ids only). */
    public static EpochShuffle of(JavaRDD<String> ids, long seed, int epoch) {
        return of(ids, new SeededKey(seed, epoch));
    }

    /** A named class rather than a lambda: the shuffle is broadcast, and Kryo cannot write lambdas. */
    private static final class SeededKey implements Key {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final int epoch;

        SeededKey(long seed, int epoch) {
            this.seed = seed;
            this.epoch = epoch;
        }

        @Override
        public long of(String id) {
            return Seeds.derive(seed, "shuffle", id, epoch);
        }
    }

    static EpochShuffle of(JavaRDD<String> ids, Key key) {
        long[] keys = ids.map(key::of).collect().stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(keys);
        Set<Long> tied = new HashSet<>();
        for (int i = 1; i < keys.length; i++) {
            if (keys[i] == keys[i - 1]) {
                tied.add(keys[i]);
            }
        }
        Map<Long, List<String>> ties = new HashMap<>();
        if (!tied.isEmpty()) {
            for (String id : ids.filter(id -> tied.contains(key.of(id))).collect()) {
                ties.computeIfAbsent(key.of(id), k -> new ArrayList<>()).add(id);
            }
            ties.values().forEach(Collections::sort);
        }
        return new EpochShuffle(key, keys, ties);
    }

    /** The example's position in this epoch's order, 0 .. n−1. */
    public long position(String id) {
        long k = key.of(id);
        int first = lowerBound(k);
        List<String> tied = ties.get(k);
        return tied == null ? first : first + tied.indexOf(id);
    }

    public long size() {
        return sortedKeys.length;
    }

    private int lowerBound(long k) {
        int lo = 0;
        int hi = sortedKeys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedKeys[mid] < k) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
