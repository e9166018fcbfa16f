package org.carotspark.train;

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

    String line(long step, int epoch, int epochs, double lr, double loss, double ocTerm, double lambdaOc,
                int teacherUpdates, long roundSteps) {
        stepsDone += roundSteps;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double imagesPerSecond = stepsDone * globalBatch / Math.max(seconds, 1e-9);
        double eta = (totalSteps - step) * seconds / Math.max(1, step - resumedAt);
        return String.format(Locale.ROOT,
                "%s step %d/%d (epoch %d/%d) | loss %.4f = contrastive+sd %.4f + %.2f·oc %.4f | lr %.2e"
                        + " | EMA updates %d | %.1f img/s | ETA %s",
                method, step, totalSteps, epoch + 1, epochs, loss, loss - lambdaOc * ocTerm, lambdaOc, ocTerm, lr,
                teacherUpdates, imagesPerSecond, duration(eta));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
