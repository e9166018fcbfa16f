package org.carotspark.job;

import org.carotspark.report.ResultRow;
import org.carotspark.train.Method;

import java.io.IOException;
import java.util.List;

/**
 * What one kind of method does in a fine-tuning run: from a report entry's own configuration it resolves its
 * settings, builds its trainer when it trains, and evaluates what it produced. One implementation per kind
 * (zero-shot, contrastive, classifier baselines), so a new method is one class; {@link FineTuneRun} only asks
 * which kind {@link #runs} a method.
 */
interface MethodKind {

    /** Whether this kind runs {@code method}. */
    boolean runs(Method method);

    /**
     * Trains (when the method does) and evaluates {@code run}. Run-level entries (timings, the summary line, the
     * method's settings) go to {@code context}'s collectors.
     */
    List<ResultRow> run(MethodRun run, MethodContext context) throws IOException;
}
