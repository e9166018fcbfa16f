package org.carotspark.train.epoch;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.testing.LocalSpark;
import org.carotspark.train.minibatch.TrainExample;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochBatchesTest {

    /** 103 examples; 2 workers x 8 per worker, 6 steps per epoch (96 examples), rounds of 4 steps: 4 + 2. */
    private static final EpochPlan PLAN = new EpochPlan(0, 12, 6, 2, 8, 4);

    private static JavaRDD<TrainExample> examples() {
        List<TrainExample> list = new ArrayList<>();
        for (int i = 0; i < 103; i++) {
            list.add(new TrainExample("train/n01/img" + i + ".JPEG", i % 3, new byte[] {(byte) i}));
        }
        return LocalSpark.jsc().parallelize(list, 3);
    }

    /** Per round and worker, the ids in position order. */
    private static Map<String, List<String>> layout(EpochPlan plan, long seed) {
        JavaRDD<TrainExample> ex = examples();
        EpochShuffle shuffle = EpochShuffle.of(ex.map(TrainExample::id), seed, plan.epoch());
        EpochBatches batches = EpochBatches.of(ex, plan, LocalSpark.jsc().broadcast(shuffle));
        Map<String, List<String>> out = new TreeMap<>();
        for (int round = 0; round < plan.rounds(); round++) {
            int r = round;
            List<List<Tuple2<Long, TrainExample>>> parts = batches.round(round).glom().collect();
            assertEquals(plan.workers(), parts.size(), "a round is exactly one partition per worker");
            for (int w = 0; w < parts.size(); w++) {
                List<Tuple2<Long, TrainExample>> part = new ArrayList<>(parts.get(w));
                part.sort((a, b) -> Long.compare(a._1(), b._1()));
                for (Tuple2<Long, TrainExample> t : part) {
                    assertEquals(r * plan.workers() + w, plan.partitionOf(t._1()), "example in its round's partition");
                    assertEquals(t._1(), shuffle.position(t._2().id()));
                }
                out.put(r + "/" + w, part.stream().map(t -> t._2().id()).toList());
            }
        }
        batches.release();
        return out;
    }

    @Test
    void roundsReadExactlyTheirWorkersMinibatchesDisjointDeterministicAndReshuffledPerEpoch() {
        Map<String, List<String>> a = layout(PLAN, 1);
        assertEquals(4, a.size());
        assertEquals(32, a.get("0/0").size(), "round 0: 4 steps x 8 pairs on each worker");
        assertEquals(16, a.get("1/1").size(), "round 1 is the epoch's 2 remaining steps");
        Set<String> seen = new HashSet<>();
        a.values().forEach(ids -> ids.forEach(id -> assertTrue(seen.add(id), "duplicate " + id)));
        assertEquals(96, seen.size(), "the 7 rows past the last full global batch are dropped");
        assertEquals(a, layout(PLAN, 1), "same seed and epoch, same batches in the same order");
        assertNotEquals(a, layout(new EpochPlan(1, 18, 6, 2, 8, 4), 1), "a new epoch reshuffles");
        assertNotEquals(a, layout(PLAN, 2), "a new seed reshuffles");
    }

    @Test
    void planMapsPositionsToStepsWorkersAndRounds() {
        // position p -> minibatch p/8 -> step-in-epoch (p/8)/2, worker (p/8)%2, round step/4.
        assertEquals(0, PLAN.partitionOf(0));
        assertEquals(1, PLAN.partitionOf(8));
        assertEquals(0, PLAN.partitionOf(16));
        assertEquals(2, PLAN.partitionOf(64));   // step 4: round 1, worker 0
        assertEquals(3, PLAN.partitionOf(95));
        assertEquals(12, PLAN.stepOf(15));
        assertEquals(17, PLAN.stepOf(95));
        assertEquals(4, PLAN.roundSteps(0));
        assertEquals(2, PLAN.roundSteps(1));
        assertEquals(16, PLAN.firstStepOfRound(1));
    }

    @Test
    void equalHashesAreOrderedByIdSoPositionsStayAPermutation() {
        List<String> ids = List.of("d", "a", "c", "b", "e");
        JavaRDD<String> rdd = LocalSpark.jsc().parallelize(ids, 2);
        // "a", "b", "c" collide on one key; "d" < that key < "e".
        EpochShuffle s = EpochShuffle.of(rdd, id -> switch (id) {
            case "d" -> 1L;
            case "e" -> 9L;
            default -> 5L;
        });
        assertEquals(List.of(1L, 2L, 3L, 0L, 4L), List.of(s.position("a"), s.position("b"), s.position("c"),
                s.position("d"), s.position("e")));
        assertEquals(5, s.size());
    }
}
