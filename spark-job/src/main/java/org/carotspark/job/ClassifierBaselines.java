package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.config.UserFacingException;
import org.carotspark.ema.EmaSettings;
import org.carotspark.eval.ModelEvaluation;
import org.carotspark.eval.ZeroShotHead;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.report.ResultRow;
import org.carotspark.train.DistributedTrainer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.Method;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.ClassifierMinibatches;
import org.carotspark.train.minibatch.TrainImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The cross-entropy baselines of the paper's tables on the code path FLYP and CaRot use: FT trains CLIP's image
 * tower and a linear head initialised from the zero-shot head (logit scale × unit class embeddings, a bias at 0)
 * with softmax cross-entropy on the class labels, at the reference's learning rate and gradient clip
 * ({@code carot.baselines.ft}); LP-FT first trains the head alone with the tower frozen (a linear probe),
 * then all of it as FT; WiSE-FT evaluates (1 − α)·θ_zero-shot + α·θ_FT for each α, head included. Training is
 * {@link DistributedTrainer}'s (parameter averaging, checkpoints, resume); evaluation is {@link ModelEvaluation}'s through
 * the classifier's head.
 */
final class ClassifierBaselines {

    private static final Logger LOG = LoggerFactory.getLogger(ClassifierBaselines.class);
    private static final String CLASSIFIER_WEIGHTS = ClipGraphBuilder.CLASSIFIER + "_W";
    private static final String CLASSIFIER_BIAS = ClipGraphBuilder.CLASSIFIER + "_b";
    private static final String IMAGE_PROJECTION = ClipGraphBuilder.IMAGE_HEAD + "_"
            + ClipProjectionHead.VISUAL_PROJECTION;
    private static final String CLIP_IMAGE_PROJECTION = ClipGraphBuilder.CLIP_HEAD + "_"
            + ClipProjectionHead.VISUAL_PROJECTION;

    private final JavaSparkContext jsc;
    private final Config config;
    private final ClipModelConfig model;
    private final int classes;
    /** carot.train with FT's learning rate and gradient clip: every classifier fine-tuning but the probe. */
    private final TrainingSettings training;
    private final boolean headBias;
    private final EmaSettings ema;
    private final TrainImages images;
    private final CheckpointStore checkpoints;
    private final ModelEvaluation evaluation;
    /** FT's classifier from this run, for WiSE-FT. */
    private ComputationGraph fineTuned;
    /** The zero-shot model as a classifier: every baseline starts from it, so its head is encoded once. */
    private INDArray zeroShotClassifier;

    ClassifierBaselines(JavaSparkContext jsc, Config config, ClipModelConfig model, int classes,
                        TrainingSettings training, EmaSettings ema, TrainImages images, CheckpointStore checkpoints,
                        ModelEvaluation evaluation) {
        this.jsc = jsc;
        this.config = config;
        this.model = model;
        this.classes = classes;
        this.training = ftSettings(config, training.workers());
        this.headBias = config.getBoolean("carot.baselines.ft.head-bias");
        this.ema = ema;
        this.images = images;
        this.checkpoints = checkpoints;
        this.evaluation = evaluation;
    }

    /** Trains (FT, LP-FT) or mixes (WiSE-FT) from the zero-shot CLIP and evaluates; FT's outcome is kept. */
    List<ResultRow> run(Method method, ComputationGraph zeroShot, Dataset<Row> train, long trainRows,
                        Map<String, Object> runInfo) throws IOException {
        return run(method, zeroShot, train, trainRows, runInfo, m -> {
            throw new IllegalStateException("no " + m.configName() + " model to mix for WiSE-FT");
        });
    }

    /**
     * As {@link #run(Method, ComputationGraph, Dataset, long, Map)}; {@code contrastiveStudent} gives the trained FLYP or
     * CaRot model that {@code carot.baselines.wise-ft-of} asks WiSE-FT to mix (trained, or restored from its
     * checkpoint, when this run has not trained it yet).
     */
    List<ResultRow> run(Method method, ComputationGraph zeroShot, Dataset<Row> train, long trainRows,
                        Map<String, Object> runInfo, Function<Method, ComputationGraph> contrastiveStudent)
            throws IOException {
        long steps = training.totalSteps(trainRows);
        if (zeroShotClassifier == null) {
            zeroShotClassifier = classifierParams(zeroShot, evaluation.zeroShotHead(zeroShot), steps);
        }
        INDArray start = zeroShotClassifier;
        switch (method) {
            case FT -> {
                fineTuned = train(Method.FT.configName(), classifier(training, steps, false, start), train,
                        training, runInfo);
                return evaluate(Method.FT.configName(), zeroShot, fineTuned);
            }
            case LP_FT -> {
                TrainingSettings probeSettings = probeSettings();
                long probeSteps = probeSettings.totalSteps(trainRows);
                ComputationGraph probe = train(Method.LP_FT.configName() + "-probe",
                        classifier(probeSettings, probeSteps, true, start), train, probeSettings, runInfo);
                logHeadChange(start, probe, runInfo);
                ComputationGraph full = train(Method.LP_FT.configName(),
                        classifier(training, steps, false, probe.params()), train, training, runInfo);
                return evaluate(Method.LP_FT.configName(), zeroShot, full);
            }
            case WISE_FT -> {
                List<ResultRow> rows = new ArrayList<>();
                List<Double> alphas = config.getDoubleList("carot.baselines.wise-ft-alphas");
                for (Method of : wiseFtOf(config)) {
                    if (of != Method.FT) {
                        rows.addAll(wiseFtOfClip(of, zeroShot, contrastiveStudent.apply(of), alphas));
                        continue;
                    }
                    if (fineTuned == null) {
                        fineTuned = train(Method.FT.configName(), classifier(training, steps, false, start), train,
                                training, runInfo);
                    }
                    for (double alpha : alphas) {
                        INDArray mixed = start.mul(1 - alpha).addi(fineTuned.params().reshape(start.shape()).mul(alpha));
                        rows.addAll(evaluate(wiseFtName(Method.FT, alpha), zeroShot,
                                classifier(training, steps, false, mixed)));
                    }
                }
                return rows;
            }
            default -> throw new IllegalArgumentException(method + " is not a classifier baseline");
        }
    }

    /**
     * How far the linear probe moved the head, ‖W_probe − W_zero-shot‖ / ‖W_zero-shot‖ (logged and kept in the run
     * info): AdamW moves each weight by about the learning rate a step, against weights of size logit scale / √D,
     * so a short probe (the built-in demo's) leaves the head almost where it started.
     */
    private void logHeadChange(INDArray start, ComputationGraph probe, Map<String, Object> runInfo) {
        ComputationGraph zeroShot = classifier(training, 1, false, start);
        INDArray before = zeroShot.getParam(CLASSIFIER_WEIGHTS);
        double change = probe.getParam(CLASSIFIER_WEIGHTS).sub(before).norm2Number().doubleValue()
                / before.norm2Number().doubleValue();
        LOG.info("{}: the linear probe moved the head by {} % (|W_probe - W_zero-shot| / |W_zero-shot|)",
                Method.LP_FT.configName(), String.format(Locale.ROOT, "%.3f", 100 * change));
        runInfo.put(Method.LP_FT.configName() + "-probe-head-change", change);
    }

    /** WiSE-FT of a contrastive method: (1 − α)·θ_zero-shot + α·θ_method over all of CLIP, zero-shot head included. */
    private List<ResultRow> wiseFtOfClip(Method of, ComputationGraph zeroShot, ComputationGraph tuned,
                                         List<Double> alphas) {
        INDArray zs = zeroShot.params();
        INDArray ft = tuned.params().reshape(zs.shape());
        if (zs.length() != tuned.params().length()) {
            throw new IllegalStateException(of.configName() + " has " + tuned.params().length()
                    + " parameters, the zero-shot CLIP " + zs.length());
        }
        List<ResultRow> rows = new ArrayList<>();
        for (double alpha : alphas) {
            ComputationGraph mixed = zeroShot.clone();
            mixed.setParams(zs.mul(1 - alpha).addi(ft.mul(alpha)));
            rows.addAll(evaluation.evaluate(wiseFtName(of, alpha), mixed));
        }
        return rows;
    }

    /** {@code wise-ft-0.5} for FT, {@code wise-ft-flyp-0.5} / {@code wise-ft-carot-0.5} for the others. */
    static String wiseFtName(Method of, double alpha) {
        return Method.WISE_FT.configName() + (of == Method.FT ? "" : "-" + of.configName()) + "-"
                + String.format(Locale.ROOT, "%s", alpha);
    }

    /** {@code carot.baselines.wise-ft-of}: the fine-tuned models WiSE-FT mixes with the zero-shot one. */
    static List<Method> wiseFtOf(Config config) {
        List<Method> out = new ArrayList<>();
        for (String name : config.getStringList("carot.baselines.wise-ft-of")) {
            Method m;
            try {
                m = Method.parse(name);
            } catch (UserFacingException e) {
                m = null;
            }
            if (m != Method.FT && m != Method.FLYP && m != Method.CAROT) {
                throw new UserFacingException("carot.baselines.wise-ft-of takes ft, flyp and carot, got '" + name + "'");
            }
            if (out.contains(m)) {
                throw new UserFacingException("carot.baselines.wise-ft-of repeats '" + name + "'");
            }
            out.add(m);
        }
        return out;
    }

    /** Validates {@code carot.baselines.*} (before any work). */
    static void validate(Config config) {
        wiseFtOf(config);
        for (double alpha : config.getDoubleList("carot.baselines.wise-ft-alphas")) {
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new UserFacingException("carot.baselines.wise-ft-alphas must lie in [0, 1], got " + alpha);
            }
        }
        probeSettings(config, 1);
        config.getBoolean("carot.baselines.ft.head-bias");
    }

    private TrainingSettings probeSettings() {
        return probeSettings(config, training.workers());
    }

    /**
     * FT's training: {@code carot.baselines.ft}'s learning rate and gradient clip (the reference's ft.sh and
     * ft_loss.py), the rest of {@code carot.train}.
     */
    static TrainingSettings ftSettings(Config config, int defaultWorkers) {
        return TrainingSettings.fromConfig(ftConfig(config), defaultWorkers);
    }

    private static Config ftConfig(Config config) {
        double lr = config.getDouble("carot.baselines.ft.learning-rate");
        double clip = config.getDouble("carot.baselines.ft.gradient-clip-norm");
        if (!(lr > 0) || !(clip >= 0)) {
            throw new UserFacingException("carot.baselines.ft.learning-rate must be > 0 and gradient-clip-norm >= 0"
                    + " (0 = off), got " + lr + " and " + clip);
        }
        return ConfigFactory.parseMap(Map.of("carot.train.learning-rate", lr, "carot.train.gradient-clip-norm", clip))
                .withFallback(config);
    }

    /** The linear probe's training: its own epochs and learning rate, no warm-up, the rest as FT's. */
    static TrainingSettings probeSettings(Config config, int defaultWorkers) {
        Config probe = ConfigFactory.parseMap(Map.of(
                "carot.train.epochs", config.getInt("carot.baselines.lp-epochs"),
                "carot.train.learning-rate", config.getDouble("carot.baselines.lp-learning-rate"),
                "carot.train.warmup-steps", 0)).withFallback(ftConfig(config));
        return TrainingSettings.fromConfig(probe, defaultWorkers);
    }

    private ComputationGraph train(String name, ComputationGraph classifier, Dataset<Row> train,
                                   TrainingSettings settings, Map<String, Object> runInfo) throws IOException {
        DistributedTrainer trainer = new DistributedTrainer(jsc, settings, ema,
                new ClassifierMinibatches(images, classes), checkpoints);
        TrainingOutcome outcome = trainer.train(name, classifier, train);
        runInfo.put(name, FineTuneRun.runInfo(outcome));
        return outcome.student();
    }

    private ComputationGraph classifier(TrainingSettings settings, long steps, boolean towerFrozen, INDArray params) {
        return TrainingGraphFactory.classifier(model, classes, headBias, settings, steps, towerFrozen, params);
    }

    /** The zero-shot CLIP as a classifier: its image tower and projection, the head W = s·Ŵᵀ, the bias 0. */
    private INDArray classifierParams(ComputationGraph clip, ZeroShotHead head, long steps) {
        ComputationGraph c = classifier(training, steps, false, Nd4j.zeros(DataType.FLOAT, 1,
                TrainingGraphFactory.classifierParameterCount(model, classes, headBias)));
        for (Map.Entry<String, INDArray> e : c.paramTable().entrySet()) {
            String key = e.getKey();
            if (key.equals(CLASSIFIER_BIAS)) {
                e.getValue().assign(0);
            } else if (key.equals(CLASSIFIER_WEIGHTS)) {
                INDArray rows = Nd4j.create(head.classEmbeddings(), new long[] {head.numClasses(), head.dim()}, 'c');
                e.getValue().assign(rows.transpose().mul(head.logitScale()));
            } else {
                e.getValue().assign(clipParam(clip, key));
            }
        }
        return c.params().dup();
    }

    /** Evaluates the classifier: its tower in a copy of the CLIP graph, its head as the linear head. */
    private List<ResultRow> evaluate(String name, ComputationGraph zeroShot, ComputationGraph classifier) {
        ComputationGraph clip = zeroShot.clone();
        for (Map.Entry<String, INDArray> e : classifier.paramTable().entrySet()) {
            if (!e.getKey().equals(CLASSIFIER_WEIGHTS) && !e.getKey().equals(CLASSIFIER_BIAS)) {
                clipParam(clip, e.getKey()).assign(e.getValue());
            }
        }
        INDArray w = classifier.getParam(CLASSIFIER_WEIGHTS); // [D, classes]
        float[] rows = w.transpose().dup('c').castTo(DataType.FLOAT).data().asFloat();
        float[] bias = headBias ? classifier.getParam(CLASSIFIER_BIAS).castTo(DataType.FLOAT).dup().data().asFloat()
                : null;
        LOG.info("{}: evaluated through its linear head ({} classes x {}{})", name, w.size(1), w.size(0),
                headBias ? ", with bias" : "");
        return evaluation.evaluate(name, clip, ZeroShotHead.linear(rows, (int) w.size(1), (int) w.size(0), 1.0, bias));
    }

    /** The CLIP graph's parameter a classifier parameter corresponds to (same name, or the visual projection). */
    private static INDArray clipParam(ComputationGraph clip, String classifierKey) {
        String key = classifierKey.equals(IMAGE_PROJECTION) ? CLIP_IMAGE_PROJECTION : classifierKey;
        INDArray p = clip.paramTable().get(key);
        if (p == null) {
            throw new IllegalStateException("the CLIP graph has no parameter " + key);
        }
        return p;
    }
}
