package org.carotspark.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScatterPlotPngTest {

    @Test
    void writesAReadablePngWithTheFitOverAllSeries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/plot.png");
        ScatterPlotPng.Summary s = ScatterPlotPng.write(file, "test", "x", "y", List.of(
                new ScatterPlotPng.Series("a", new double[] {1, 2}, new double[] {2, 4}),
                new ScatterPlotPng.Series("b", new double[] {3, 4}, new double[] {6, 8})), 400, 300);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img);
        assertEquals(400, img.getWidth());
        assertEquals(300, img.getHeight());
        assertEquals(1.0, s.pearson(), 1e-12);
        assertEquals(1.0, s.spearman(), 1e-12);
        assertEquals(2.0, s.line().slope(), 1e-12);
        assertEquals(4, s.points());
        // something other than the white background was drawn in the plot area
        int nonWhite = 0;
        for (int x = 100; x < 370; x += 3) {
            for (int y = 80; y < 220; y += 3) {
                nonWhite += (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        assertTrue(nonWhite > 20, "non-white samples: " + nonWhite);
    }

    @Test
    void niceTicksCoverTheRange() {
        double[] t = ScatterPlotPng.ticks(0.013, 0.087);
        assertTrue(t[0] <= 0.013 && t[t.length - 1] >= 0.087);
        assertEquals(0.01, t[1] - t[0], 1e-12);
    }
}
