package org.carotspark.job;

import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.report.ResultRow;
import org.carotspark.train.Method;
import org.carotspark.train.minibatch.TrainImages;

import java.io.IOException;
import java.util.List;

/**
 * FT, LP-FT and WiSE-FT: {@link ClassifierBaselines} from the zero-shot CLIP, on {@code carot.baselines}' settings.
 * One {@link ClassifierBaselines} serves the run's three, so the zero-shot head is encoded once and WiSE-FT mixes
 * the FT model this run trained; WiSE-FT of FLYP or CaRot asks {@link ContrastiveMethod} for their students.
 */
final class ClassifierBaselineMethod implements MethodKind {

    private final ContrastiveMethod contrastive;
    private ClassifierBaselines baselines;

    ClassifierBaselineMethod(ContrastiveMethod contrastive) {
        this.contrastive = contrastive;
    }

    @Override
    public boolean runs(Method method) {
        return method == Method.FT || method == Method.LP_FT || method == Method.WISE_FT;
    }

    @Override
    public List<ResultRow> run(MethodRun run, MethodContext context) throws IOException {
        if (baselines == null) {
            baselines = new ClassifierBaselines(context.jsc(), run.config(), context.model(),
                    context.metadata().classNames().size(), context.training(run.config()),
                    EmaSettings.fromConfig(run.config()), TrainImages.fromConfig(run.config(), context.model().imageSize()),
                    context.checkpoints(), context.evaluation());
        }
        return baselines.run(run.method(), context.clip(CarotLoss.CONTRASTIVE_ONLY, context.training(run.config())),
                context.train(), context.trainRows(), context.runInfo(), m -> contrastive.student(m, context));
    }
}
