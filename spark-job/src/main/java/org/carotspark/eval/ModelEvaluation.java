package org.carotspark.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.carotspark.metrics.PredictionStats;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.Split;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ResultRow;
import org.carotspark.seed.Seeds;
import org.carotspark.text.CaptionTokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluates one trained model on every configured split: builds the zero-shot head, tunes a
 * temperature on the ID held-out split ({@link TemperatureSearch} over its cached scores), then runs
 * one distributed pass per split at T = 1 and the tuned T and reports every metric raw and
 * temperature-scaled ({@link ResultRows}: IN-C per group, per corruption and in total).
 */
public final class ModelEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluation.class);

    private final JavaSparkContext jsc;
    private final EvalSettings settings;
    private final DatasetMetadata metadata;
    private final CaptionTokenizer tokenizer;
    private final int imageSize;
    private final Function<Split, Dataset<Row>> splits;
    private final List<FeatureSpectrum> spectra = new ArrayList<>();

    public ModelEvaluation(JavaSparkContext jsc, EvalSettings settings, DatasetMetadata metadata,
                           CaptionTokenizer tokenizer, int imageSize, Function<Split, Dataset<Row>> splits) {
        this.jsc = jsc;
        this.settings = settings;
        this.metadata = metadata;
        this.tokenizer = tokenizer;
        this.imageSize = imageSize;
        this.splits = splits;
    }

    /** Evaluates a CLIP model through its zero-shot head (class prompts through its own text tower). */
    public List<ResultRow> evaluate(String method, ComputationGraph graph) {
        return evaluate(method, graph, null);
    }

    /** The zero-shot head of {@code graph}'s text tower over the configured class names and templates. */
    public ZeroShotHead zeroShotHead(ComputationGraph graph) {
        Broadcast<ModelSnapshot> model = jsc.broadcast(ModelSnapshot.of(graph, "eval"));
        try {
            return ZeroShotHead.build(jsc, model, tokenizer, metadata.classNames(), metadata.templates(),
                    settings.textBatchSize());
        } finally {
            model.destroy();
        }
    }

    /**
     * Evaluates {@code graph}'s image tower through {@code head} (a classifier's, for the cross-entropy baselines),
     * or through its zero-shot head when {@code head} is null.
     */
    public List<ResultRow> evaluate(String method, ComputationGraph graph, ZeroShotHead head) {
        long t0 = System.nanoTime();
        Broadcast<ModelSnapshot> model = jsc.broadcast(ModelSnapshot.of(graph, "eval"));
        if (head == null) {
            head = ZeroShotHead.build(jsc, model, tokenizer, metadata.classNames(), metadata.templates(),
                    settings.textBatchSize());
        }
        Broadcast<ZeroShotHead> headBc = jsc.broadcast(head);
        try {
            DistributedEvaluator evaluator = new DistributedEvaluator(model, headBc, imageSize, settings.batchSize(),
                    settings.metrics(), settings.referenceEceBatch());
            TemperatureFit fit = tuneTemperature(method, evaluator);
            // Only the held-out split needs the grid; every other split is scored at T = 1 and the tuned T.
            double[] temperatures = {1.0, fit.temperature()};
            List<ResultRow> rows = new ArrayList<>();
            for (Split split : settings.splits()) {
                SplitStatistics statistics = evaluator.evaluate(splits.apply(split), projectionFor(split), temperatures);
                nonEmpty(split, statistics.groups());
                List<ResultRow> splitRows = ResultRows.of(method, split, statistics, fit, settings.metrics());
                ResultRow total = splitRows.get(0);
                LOG.info("{} on {}: n {}, accuracy {}, ECE {} (temperature-scaled {}), reference per-batch ECE {}",
                        method, split, total.n(), fmt(total.accuracy()), fmt(total.ece()), fmt(total.eceTs()),
                        fmt(total.raw().eceReference()));
                rows.addAll(splitRows);
            }
            if (settings.spectrumValues() > 0) {
                spectra.add(featureSpectrum(method, evaluator));
            }
            LOG.info("{}: evaluation took {}s", method, fmt((System.nanoTime() - t0) / 1e9));
            return rows;
        } finally {
            model.destroy();
            headBc.destroy();
        }
    }

    /** Scores the held-out split once (cached) and searches the temperature over those scores. */
    private TemperatureFit tuneTemperature(String method, DistributedEvaluator evaluator) {
        JavaRDD<ScoredExample> heldout = evaluator.scores(splits.apply(Split.IMAGENET_HELDOUT), SplitProjection.allClasses())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            TemperatureFit fit = TemperatureSearch.fit(settings.temperature(),
                    temperatures -> heldoutObjective(heldout, temperatures));
            LOG.info("{}: temperature {} tuned on {} by {} ({} evaluations, grid {}..{}): {} {} -> {}{}", method,
                    fmt(fit.temperature()), Split.IMAGENET_HELDOUT, fit.objective(), fit.evaluations(), fmt(fit.gridMin()),
                    fmt(fit.gridMax()), fit.objective(), fmt(fit.valueAtOne()), fmt(fit.valueAtBest()),
                    fit.atGridEdge() ? " (optimum on the grid edge after every widening: the true optimum lies beyond)"
                            : "");
            return fit;
        } finally {
            heldout.unpersist(false);
        }
    }

    /** The feature spectra of every model evaluated so far (the paper's Figure 6), in evaluation order. */
    public List<FeatureSpectrum> spectra() {
        return List.copyOf(spectra);
    }

    /**
     * The smallest singular values of the covariance of the column-standardised image features of the ID test
     * split (the held-out split when it is not evaluated), at most {@code spectrum-max-images} of them chosen by a
     * hash of the id.
     */
    private FeatureSpectrum featureSpectrum(String method, DistributedEvaluator evaluator) {
        Split id = settings.splits().contains(Split.IMAGENET) ? Split.IMAGENET : Split.IMAGENET_HELDOUT;
        Dataset<Row> images = splits.apply(id);
        long n = images.count();
        double keep = Math.min(1.0, settings.spectrumMaxImages() / (double) Math.max(1, n));
        List<scala.Tuple2<String, float[]>> rows = new ArrayList<>(evaluator.imageFeatures(images)
                .filter(t -> keep >= 1.0 || Seeds.unit(0, "spectrum", t._1()) < keep).collect());
        rows.sort(java.util.Comparator.comparing(scala.Tuple2::_1));
        double[][] features = new double[rows.size()][];
        for (int i = 0; i < features.length; i++) {
            float[] f = rows.get(i)._2();
            features[i] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                features[i][j] = f[j];
            }
        }
        if (features.length <= features[0].length) {
            LOG.warn("{}: {} images of {} for {} feature dimensions: the covariance is rank-deficient, its smallest"
                    + " singular values are 0 by construction", method, features.length, id, features[0].length);
        }
        double[] smallest = Spectrum.smallestStandardizedCovarianceSingularValues(features, settings.spectrumValues());
        LOG.info("{}: σ_min of the standardised ID feature covariance {} ({} images of {})", method,
                fmt(smallest[0]), features.length, id);
        return new FeatureSpectrum(method, id.configName(), smallest);
    }

    private double[] heldoutObjective(JavaRDD<ScoredExample> heldout, double[] temperatures) {
        PredictionStats[] stats = nonEmpty(Split.IMAGENET_HELDOUT, DistributedEvaluator.statistics(heldout, temperatures,
                settings.metrics(), false)).get(DistributedEvaluator.ALL);
        double[] values = new double[temperatures.length];
        for (int t = 0; t < values.length; t++) {
            values[t] = settings.temperature().objective() == TemperatureSettings.Objective.NLL
                    ? stats[t].meanNll() : stats[t].headlineBins().expectedCalibrationError();
        }
        return values;
    }

    private static <V> Map<String, V> nonEmpty(Split split, Map<String, V> groups) {
        if (groups.isEmpty()) {
            throw new UserFacingException("split '" + split + "' has no rows to evaluate"
                    + (split == Split.IMAGENET_HELDOUT ? " (set carot.prep.heldout-fraction > 0, or"
                            + " carot.data.splits.imagenet-heldout.path, and re-run prep)" : ""));
        }
        return groups;
    }

    SplitProjection projectionFor(Split split) {
        return switch (split) {
            case IMAGENET_R -> SplitProjection.subset(metadata.imagenetRSubset());
            case IMAGENET_A -> SplitProjection.subset(metadata.imagenetASubset());
            case OBJECTNET -> SplitProjection.maxOverMapped(metadata.objectNetToImagenet());
            default -> SplitProjection.allClasses();
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
