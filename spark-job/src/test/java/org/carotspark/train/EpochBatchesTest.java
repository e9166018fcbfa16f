package org.carotspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class EpochBatchesTest {

    private static JavaRDD<TrainExample> examples(int n) {
        List<TrainExample> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new TrainExample("train/n01/img" + i + ".JPEG", i % 3, new byte[] {(byte) i}));
        }
        return LocalSpark.jsc().parallelize(list, 3);
    }

    private static Map<Long, List<String>> ids(int epoch, long seed) {
        return EpochBatches.of(examples(103), epoch, seed, 8, 12, 4).collectAsMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().stream().map(TrainExample::id).toList()));
    }

    @Test
    void exactBatchesDisjointDeterministicAndReshuffledPerEpoch() {
        Map<Long, List<String>> a = ids(0, 1);
        assertEquals(12, a.size());
        Set<String> seen = new HashSet<>();
        for (long b = 0; b < 12; b++) {
            assertEquals(8, a.get(b).size(), "batch " + b);
            a.get(b).forEach(id -> assertEquals(true, seen.add(id), "duplicate " + id));
        }
        assertEquals(96, seen.size(), "the 7 rows past the last full batch are dropped");
        assertEquals(a, ids(0, 1), "same seed and epoch, same batches in the same order");
        assertNotEquals(a, ids(1, 1), "a new epoch reshuffles");
        assertNotEquals(a, ids(0, 2), "a new seed reshuffles");
    }
}
