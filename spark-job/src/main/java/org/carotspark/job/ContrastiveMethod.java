package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.report.ResultRow;
import org.carotspark.train.DistributedTrainer;
import org.carotspark.train.Method;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.TrainImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FLYP and CaRot: CLIP fine-tuned on image–caption pairs with the contrastive loss (FLYP: L_CLIP alone; CaRot: its
 * λ's from the entry's {@code carot.loss}), on the entry's {@code carot.train}, then evaluated. A configured
 * method's student is kept when WiSE-FT mixes it ({@code carot.baselines.wise-ft-of}).
 */
final class ContrastiveMethod implements MethodKind {

    private static final Logger LOG = LoggerFactory.getLogger(ContrastiveMethod.class);

    /** The configured methods' students WiSE-FT mixes, trained once per run. */
    private final Map<Method, ComputationGraph> students = new EnumMap<>(Method.class);

    @Override
    public boolean runs(Method method) {
        return method == Method.FLYP || method == Method.CAROT;
    }

    @Override
    public List<ResultRow> run(MethodRun run, MethodContext context) throws IOException {
        Config config = run.config();
        TrainingSettings training = context.training(config);
        CarotLoss loss = run.method().loss(CarotLoss.fromConfig(config));
        context.methodSettings().put(run.name(), loss.toString());
        TrainingOutcome outcome = trainer(config, training, context)
                .train(run.name(), context.clip(loss, training), context.train());
        ComputationGraph student = outcome.student();
        if (!run.sweepEntry() && ClassifierBaselines.wiseFtOf(config).contains(run.method())) {
            students.put(run.method(), student);
        }
        context.runInfo().put(run.name(), FineTuneRun.runInfo(outcome));
        context.summary().append(summaryLine(run.name(), outcome, training.globalBatchSize()));
        if (config.getBoolean("carot.export-models")) {
            exportModels(run.name(), outcome, context.model(), context.pretrained(),
                    new Path(context.outputDir(), "models/" + run.name()), context.jsc().hadoopConfiguration());
        }
        return context.evaluation().evaluate(run.name(), student);
    }

    /**
     * The configured {@code method}'s student for WiSE-FT: this run's, or trained now on the job's settings
     * (restored from its final checkpoint when one is kept) when the run has not trained it yet.
     */
    ComputationGraph student(Method method, MethodContext context) {
        return students.computeIfAbsent(method, m -> {
            TrainingSettings training = context.training(context.config());
            CarotLoss loss = m.loss(CarotLoss.fromConfig(context.config()));
            try {
                return trainer(context.config(), training, context)
                        .train(m.configName(), context.clip(loss, training), context.train()).student();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The trainer of image–caption pairs on {@code config}'s EMA, caption and augmentation settings. */
    private static DistributedTrainer trainer(Config config, TrainingSettings training, MethodContext context) {
        return new DistributedTrainer(context.jsc(), training, EmaSettings.fromConfig(config), context.tokenizer(),
                new CaptionSampler(context.metadata().classNames(), context.metadata().templates(),
                        training.captionSeed()),
                TrainImages.fromConfig(config, context.model().imageSize()), context.checkpoints());
    }

    private static void exportModels(String method, TrainingOutcome outcome, ClipModelConfig model,
                                     PretrainedModel pretrained, Path dir, Configuration hadoop) {
        ModelExport.export(outcome.student(), model, pretrained, new Path(dir, "student"), hadoop);
        if (outcome.teacherParams() != null) {
            ComputationGraph teacher = outcome.student().clone();
            teacher.setParams(Nd4j.createFromArray(outcome.teacherParams()).reshape(1, outcome.teacherParams().length));
            ModelExport.export(teacher, model, pretrained, new Path(dir, "teacher"), hadoop);
        }
        LOG.info("{}: model{} exported to {}", method, outcome.teacherParams() != null ? "s" : "", dir);
    }

    private static String summaryLine(String method, TrainingOutcome o, int globalBatch) {
        return String.format(Locale.ROOT, "  %-6s %d steps in %.0fs, %.0f img/s; rounds: %s; %d EMA updates;"
                        + " last round: %s%n", method, o.steps(), o.wallSeconds(),
                o.steps() * globalBatch / Math.max(o.wallSeconds(), 1e-9), o.timings().shares(), o.teacherUpdates(),
                o.lastRoundTerms());
    }
}
