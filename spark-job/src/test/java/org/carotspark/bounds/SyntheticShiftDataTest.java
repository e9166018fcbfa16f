package org.carotspark.bounds;

import org.carotspark.seed.Seeds;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticShiftDataTest {

    // Fewer dims than the default but the same structure; many rows so the sample statistics are tight.
    private static final BoundsSettings.DataSpec SPEC = new BoundsSettings.DataSpec(
            40, 30, 20, 0.5, 0.3, 2.0, 10, 10, 10, 0.5, 0.4);
    private static final int N = 20000;

    /** Per block: mean of s·x (s = ±1 label sign), std of x around its class mean, corr(x_j, y) averaged over j. */
    private static double[] blockStats(SyntheticShiftData.Dataset ds, int from, int to) {
        double signedMean = 0;
        double mean = 0;
        double sq = 0;
        double corr = 0;
        int n = ds.size();
        double yMean = 0;
        for (int y : ds.y()) {
            yMean += y;
        }
        yMean /= n;
        for (int j = from; j < to; j++) {
            double sx = 0;
            double mx = 0;
            for (int i = 0; i < n; i++) {
                double s = ds.y()[i] == 1 ? 1 : -1;
                sx += s * ds.x()[i][j];
                mx += ds.x()[i][j];
            }
            sx /= n;
            mx /= n;
            double vx = 0;
            double cxy = 0;
            double vy = 0;
            double within = 0;
            for (int i = 0; i < n; i++) {
                double s = ds.y()[i] == 1 ? 1 : -1;
                double x = ds.x()[i][j];
                within += (x - s * sx) * (x - s * sx);
                vx += (x - mx) * (x - mx);
                cxy += (x - mx) * (ds.y()[i] - yMean);
                vy += (ds.y()[i] - yMean) * (ds.y()[i] - yMean);
            }
            signedMean += sx;
            mean += mx;
            sq += within / n;
            corr += cxy / Math.sqrt(vx * vy);
        }
        int w = to - from;
        return new double[] {signedMean / w, mean / w, Math.sqrt(sq / w), corr / w};
    }

    @Test
    void inDistributionBlocksHaveTheirMeansScalesAndLabelCorrelation() {
        SyntheticShiftData.Dataset ds = SyntheticShiftData.generate(SPEC, N, 0.0, 7);
        assertEquals(N, ds.size());
        assertEquals(90, ds.dims());
        double labelRate = java.util.Arrays.stream(ds.y()).average().orElseThrow();
        assertEquals(0.5, labelRate, 0.02, "labels are balanced coin flips");

        double[] b1 = blockStats(ds, 0, 40);
        double[] b2 = blockStats(ds, 40, 70);
        double[] noise = blockStats(ds, 70, 90);
        // class mean ±mu per coordinate, noise std 2
        assertEquals(0.5, b1[0], 0.02);
        assertEquals(0.3, b2[0], 0.02);
        assertEquals(0.0, noise[0], 0.02);
        assertEquals(0.0, b1[1], 0.03, "class means are symmetric, so the pooled mean is 0");
        assertEquals(2.0, b1[2], 0.02);
        assertEquals(2.0, b2[2], 0.02);
        assertEquals(2.0, noise[2], 0.02);
        // corr(x_j, y) = mu / sqrt(mu^2 + sigma^2) for a balanced ±mu mixture
        assertEquals(0.5 / Math.sqrt(0.25 + 4), b1[3], 0.01);
        assertEquals(0.3 / Math.sqrt(0.09 + 4), b2[3], 0.01);
        assertEquals(0.0, noise[3], 0.01);
    }

    @Test
    void oodShiftMovesBlockOneMeanAndShrinksBlockTwo() {
        double t = 1.5;
        SyntheticShiftData.Dataset ds = SyntheticShiftData.generate(SPEC, N, t, 11);
        double[] b1 = blockStats(ds, 0, 40);
        double[] b2 = blockStats(ds, 40, 70);
        double[] noise = blockStats(ds, 70, 90);
        assertEquals(0.5 * (1 - 0.5 * t), b1[0], 0.02, "block-1 label-correlated mean shifted");
        assertEquals(2.0, b1[2], 0.02, "block-1 noise unchanged");
        double scale = 1 - 0.4 * t;
        assertEquals(0.3 * scale, b2[0], 0.01, "block-2 mean scaled");
        assertEquals(2.0 * scale, b2[2], 0.01, "block-2 noise scaled");
        assertEquals(0.0, noise[0], 0.02);
        assertEquals(2.0, noise[2], 0.02, "noise block unchanged");
        assertEquals(0.125, SyntheticShiftData.block1Mean(SPEC, t), 1e-12);
        assertEquals(0.4, SyntheticShiftData.block2Scale(SPEC, t), 1e-12);
        assertEquals(0.0, SyntheticShiftData.block2Scale(SPEC, 10), 0.0, "scale never goes negative");
    }

    @Test
    void sameSeedSameData_otherSeedOtherData() {
        SyntheticShiftData.Dataset a = SyntheticShiftData.generate(SPEC, 50, 0.5, 42);
        SyntheticShiftData.Dataset b = SyntheticShiftData.generate(SPEC, 50, 0.5, 42);
        SyntheticShiftData.Dataset c = SyntheticShiftData.generate(SPEC, 50, 0.5, 43);
        assertArrayEquals(a.y(), b.y());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(a.x()[i], b.x()[i]);
        }
        assertFalse(java.util.Arrays.equals(a.x()[0], c.x()[0]));
    }

    @Test
    void derivedSeedsDependOnSeedAndPurposeOnly() {
        assertEquals(Seeds.derive(3, "data/id-train"), Seeds.derive(3, "data/id-train"));
        assertTrue(Seeds.derive(3, "data/id-train") != Seeds.derive(4, "data/id-train"));
        assertTrue(Seeds.derive(3, "data/id-train") != Seeds.derive(3, "data/id-test"));
    }
}
