package org.carotspark.report;

import org.carotspark.metrics.ReliabilityBin;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * A reliability diagram as PNG: per equal-width confidence bin a bar of the bin's accuracy, the gap
 * to its mean confidence outlined in red, the diagonal of perfect calibration, and a diamond for the
 * slot of confidences of exactly 1 (its own bin in the ECE). Empty bins are left blank.
 */
public final class ReliabilityDiagramPng {

    private static final Color BAR = new Color(0x1f77b4);
    private static final Color GAP = new Color(0xd62728);

    private ReliabilityDiagramPng() {
    }

    public static byte[] render(String title, List<ReliabilityBin> bins, double ece, int width, int height) {
        ChartCanvas c = new ChartCanvas(width, height, 58, 48, 14, 52);
        c.range(0, 1, 0, 1, false);
        double[] ticks = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
        c.xTicks(ticks);
        c.yTicks(ticks);
        long n = 0;
        for (ReliabilityBin b : bins) {
            n += b.count();
            if (b.count() == 0) {
                continue;
            }
            if (b.upper() > b.lower()) {
                double x0 = c.px(b.lower()) + 1;
                double x1 = c.px(b.upper()) - 1;
                double yAcc = c.py(b.accuracy());
                double yConf = c.py(b.meanConfidence());
                c.g().setColor(ChartCanvas.translucent(BAR, 200));
                c.g().fill(new Rectangle2D.Double(x0, yAcc, x1 - x0, c.py(0) - yAcc));
                c.g().setColor(ChartCanvas.translucent(GAP, 90));
                c.g().fill(new Rectangle2D.Double(x0, Math.min(yAcc, yConf), x1 - x0, Math.abs(yAcc - yConf)));
                c.g().setColor(GAP);
                c.g().draw(new Rectangle2D.Double(x0, Math.min(yAcc, yConf), x1 - x0, Math.abs(yAcc - yConf)));
            } else {
                double x = c.px(b.lower());
                double y = c.py(b.accuracy());
                Path2D d = new Path2D.Double();
                d.moveTo(x, y - 6);
                d.lineTo(x + 6, y);
                d.lineTo(x, y + 6);
                d.lineTo(x - 6, y);
                d.closePath();
                c.g().setColor(GAP);
                c.g().fill(d);
            }
        }
        c.g().setColor(Color.DARK_GRAY);
        c.g().setStroke(new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                0f));
        c.g().draw(new Line2D.Double(c.px(0), c.py(0), c.px(1), c.py(1)));
        c.g().setStroke(new BasicStroke(1f));
        c.frame();
        c.axisLabels("confidence", "accuracy", height - 10);
        c.title(title, 20);
        c.g().setFont(ChartCanvas.TICK_FONT);
        c.g().setColor(Color.BLACK);
        c.g().drawString(String.format(Locale.ROOT, "ECE %.2f%%   n %d", 100 * ece, n), c.left() + 6, c.top() + 16);
        return c.png();
    }
}
