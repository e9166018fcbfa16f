package org.carotspark.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CorrelationTest {

    @Test
    void pearsonSpearmanAndLineOnKnownData() {
        double[] x = {1, 2, 3, 4, 5};
        double[] y = {2, 4, 6, 8, 10};
        assertEquals(1.0, Correlation.pearson(x, y), 1e-12);
        assertEquals(-1.0, Correlation.pearson(x, new double[] {5, 4, 3, 2, 1}), 1e-12);
        Correlation.Line line = Correlation.leastSquares(x, y);
        assertEquals(0.0, line.intercept(), 1e-12);
        assertEquals(2.0, line.slope(), 1e-12);

        // monotone but not linear: Spearman 1, Pearson < 1
        double[] cubic = {1, 8, 27, 64, 125};
        assertEquals(1.0, Correlation.spearman(x, cubic), 1e-12);
        assertEquals(0.9431, Correlation.pearson(x, cubic), 1e-4);

        // textbook example: x = 1..4, y = 1,3,2,4 -> r = 0.8, fit y = 0.5 + 0.8x
        double[] a = {1, 2, 3, 4};
        double[] b = {1, 3, 2, 4};
        assertEquals(0.8, Correlation.pearson(a, b), 1e-12);
        assertEquals(0.5, Correlation.leastSquares(a, b).intercept(), 1e-12);
        assertEquals(0.8, Correlation.leastSquares(a, b).slope(), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Correlation.ranks(new double[] {0.1, 0.5, 0.5, 0.9}), 0.0);
        assertEquals(Double.NaN, Correlation.pearson(new double[] {1, 1}, new double[] {1, 2}));
    }
}
