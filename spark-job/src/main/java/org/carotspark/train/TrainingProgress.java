package org.carotspark.train;

import org.carotspark.loss.LossTerms;

import java.util.Locale;

/** Formats the one-line-per-round progress log: step/total, loss terms, learning rate, images/s, ETA. */
final class TrainingProgress {

    private final String method;
    private final long totalSteps;
    private final int globalBatch;
    private final long startNanos = System.nanoTime();
    private final long resumedAt;
    private long stepsDone;

    TrainingProgress(String method, long totalSteps, int globalBatch, long resumedAtStep) {
        this.method = method;
        this.totalSteps = totalSteps;
        this.globalBatch = globalBatch;
        this.resumedAt = resumedAtStep;
    }

    /** @param terms the round's loss and its terms, averaged over its minibatches on every worker */
    String line(long step, int epoch, int epochs, double lr, LossTerms terms, int teacherUpdates, long roundSteps) {
        stepsDone += roundSteps;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double imagesPerSecond = stepsDone * globalBatch / Math.max(seconds, 1e-9);
        double eta = (totalSteps - step) * seconds / Math.max(1, step - resumedAt);
        return String.format(Locale.ROOT,
                "%s step %d/%d (epoch %d/%d) | %s | lr %.2e | EMA updates %d | %.1f img/s | ETA %s",
                method, step, totalSteps, epoch + 1, epochs, terms, lr, teacherUpdates, imagesPerSecond,
                duration(eta));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
