package org.carotspark.eval;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.Split;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.report.ResultRow;
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
 * temperature on the ID held-out split by ECE, then runs one distributed pass per split and
 * reports accuracy, raw ECE and temperature-scaled ECE. IN-C is the mean over its
 * (corruption, severity) groups, as the paper reports it.
 */
public final class ModelEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluation.class);

    private final JavaSparkContext jsc;
    private final EvalSettings settings;
    private final DatasetMetadata metadata;
    private final CaptionTokenizer tokenizer;
    private final int imageSize;
    private final Function<Split, Dataset<Row>> splits;

    public ModelEvaluation(JavaSparkContext jsc, EvalSettings settings, DatasetMetadata metadata,
                           CaptionTokenizer tokenizer, int imageSize, Function<Split, Dataset<Row>> splits) {
        this.jsc = jsc;
        this.settings = settings;
        this.metadata = metadata;
        this.tokenizer = tokenizer;
        this.imageSize = imageSize;
        this.splits = splits;
    }

    public List<ResultRow> evaluate(String method, ComputationGraph graph) {
        long t0 = System.nanoTime();
        ZeroShotHead head = ZeroShotHead.build(graph, tokenizer, metadata.classNames(), metadata.templates(),
                settings.textBatchSize());
        Broadcast<ModelSnapshot> model = jsc.broadcast(ModelSnapshot.of(graph, "eval"));
        Broadcast<ZeroShotHead> headBc = jsc.broadcast(head);
        try {
            DistributedEvaluator evaluator = new DistributedEvaluator(model, headBc, imageSize, settings.batchSize(),
                    settings.eceBins(), settings.temperatures());
            CalibrationBins[] heldout = nonEmpty(Split.IMAGENET_HELDOUT, evaluator.evaluate(
                    splits.apply(Split.IMAGENET_HELDOUT), SplitProjection.allClasses())).get(DistributedEvaluator.ALL);
            int best = bestTemperature(heldout);
            double temperature = settings.temperatures()[best];
            LOG.info("{}: temperature {} tuned on {} ({} images): held-out ECE {} -> {}", method,
                    fmt(temperature), Split.IMAGENET_HELDOUT, heldout[0].total(), fmt(heldout[0].expectedCalibrationError()),
                    fmt(heldout[best].expectedCalibrationError()));
            List<ResultRow> rows = new ArrayList<>();
            for (Split split : settings.splits()) {
                Map<String, CalibrationBins[]> groups = nonEmpty(split,
                        evaluator.evaluate(splits.apply(split), projectionFor(split)));
                ResultRow row = summarise(method, split, groups, best, temperature);
                LOG.info("{} on {}: n {}, accuracy {}, ECE {} (temperature-scaled {})", method, split, row.n(),
                        fmt(row.accuracy()), fmt(row.ece()), fmt(row.eceTs()));
                rows.add(row);
            }
            LOG.info("{}: evaluation took {}s", method, fmt((System.nanoTime() - t0) / 1e9));
            return rows;
        } finally {
            model.destroy();
            headBc.destroy();
        }
    }

    private static Map<String, CalibrationBins[]> nonEmpty(Split split, Map<String, CalibrationBins[]> groups) {
        if (groups.isEmpty()) {
            throw new UserFacingException("split '" + split + "' has no rows to evaluate"
                    + (split == Split.IMAGENET_HELDOUT ? " (set carot.prep.heldout-fraction > 0 and re-run prep)" : ""));
        }
        return groups;
    }

    /** The grid temperature with the lowest held-out ECE (index 0, T = 1, wins ties). */
    static int bestTemperature(CalibrationBins[] bins) {
        int best = 0;
        for (int i = 1; i < bins.length; i++) {
            if (bins[i].expectedCalibrationError() < bins[best].expectedCalibrationError()) {
                best = i;
            }
        }
        return best;
    }

    SplitProjection projectionFor(Split split) {
        return switch (split) {
            case IMAGENET_R -> SplitProjection.subset(metadata.imagenetRSubset());
            case IMAGENET_A -> SplitProjection.subset(metadata.imagenetASubset());
            case OBJECTNET -> SplitProjection.maxOverMapped(metadata.objectNetToImagenet());
            default -> SplitProjection.allClasses();
        };
    }

    /** One report row; several groups (IN-C) are averaged with equal weight per group. */
    static ResultRow summarise(String method, Split split, Map<String, CalibrationBins[]> groups, int best,
                               double temperature) {
        long n = 0;
        double acc = 0;
        double ece = 0;
        double eceTs = 0;
        for (CalibrationBins[] g : groups.values()) {
            n += g[0].total();
            acc += g[0].accuracy();
            ece += g[0].expectedCalibrationError();
            eceTs += g[best].expectedCalibrationError();
        }
        int k = Math.max(1, groups.size());
        if (split != Split.IMAGENET_C && groups.size() > 1) {
            throw new IllegalStateException(split + " unexpectedly has " + groups.size() + " corruption groups");
        }
        return new ResultRow(method, split.configName(), n, acc / k, ece / k, eceTs / k, temperature);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
