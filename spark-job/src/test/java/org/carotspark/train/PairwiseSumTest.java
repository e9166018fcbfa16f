package org.carotspark.train;

import org.carotspark.loss.LossTerms;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PairwiseSumTest {

    private static WorkerResult result(float v) {
        WorkerResult r = WorkerResult.empty();
        r.params = new float[] {v, -v};
        r.updaterState = new float[] {v * v};
        r.workers = 1;
        r.minibatches = 2;
        r.terms = LossTerms.of(List.of("loss"), new double[] {v});
        return r;
    }

    /** Values whose float sum depends on the order: the tree ((0+1)+(2+3))+4 is what comes back, every time. */
    @Test
    void sumsInAFixedTreeWhateverTheTaskOrder() {
        float[] v = {1e8f, 3f, -1e8f, 5f, 7f};
        List<WorkerResult> rs = new ArrayList<>();
        for (float x : v) {
            rs.add(result(x));
        }
        float tree = ((v[0] + v[1]) + (v[2] + v[3])) + v[4];
        for (int run = 0; run < 3; run++) {
            WorkerResult sum = PairwiseSum.of(LocalSpark.jsc().parallelize(rs, 5), 5);
            assertEquals(5, sum.workers);
            assertEquals(10, sum.minibatches);
            assertEquals(Float.floatToIntBits(tree), Float.floatToIntBits(sum.params[0]));
            assertEquals(5, sum.terms.minibatches());
        }
        assertEquals(Float.floatToIntBits(1f), Float.floatToIntBits(PairwiseSum.of(
                LocalSpark.jsc().parallelize(List.of(result(1f)), 1), 1).params[0]));
    }
}
