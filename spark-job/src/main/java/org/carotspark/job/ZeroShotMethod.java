package org.carotspark.job;

import org.carotspark.loss.CarotLoss;
import org.carotspark.report.ResultRow;
import org.carotspark.train.Method;

import java.util.List;

/** Zero-shot CLIP: the initial weights evaluated through the class-name head, nothing trained. */
final class ZeroShotMethod implements MethodKind {

    @Override
    public boolean runs(Method method) {
        return method == Method.ZEROSHOT;
    }

    @Override
    public List<ResultRow> run(MethodRun run, MethodContext context) {
        return context.evaluation().evaluate(run.name(),
                context.clip(CarotLoss.CONTRASTIVE_ONLY, context.training(run.config())));
    }
}
