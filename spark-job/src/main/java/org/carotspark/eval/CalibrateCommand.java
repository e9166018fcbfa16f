package org.carotspark.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import org.carotspark.metrics.PredictionStats;
import org.carotspark.metrics.ReferenceBatchEce;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.carotspark.metrics.Metrics;
import org.carotspark.report.ReportWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/carot calibrate --predictions FILE [--bins N] [--reference-batch N]}: every metric of the evaluation
 * for any model's outputs. FILE has one JSON object per line, {@code {"label": 3, "probs": [...]}} or
 * {@code {"label": 3, "logits": [...]}} (softmax applied), all over the same classes; blank lines are
 * skipped. Prints one JSON object: n, accuracy, top5_accuracy, ece (N equal-width bins, default the
 * first of {@code carot.eval.ece-bins}), ece_by_bins, ece_adaptive, mce, nll, brier and bins (per-bin
 * count, mean confidence, accuracy), and ece_reference: the CaRot reference code's per-batch ECE
 * ({@link ReferenceBatchEce}: always 10 bins, batches of {@code --reference-batch} lines in file order, default 512),
 * the number to put beside the paper's when the file is in the reference's loader order. The same
 * {@link PredictionStats} as the distributed evaluation computes them. A bad line is one error naming its number
 * (exit 2).
 */
public final class CalibrateCommand {

    /** How far a probability vector's sum may stray from 1 (float32 softmax outputs written as text). */
    static final double SUM_TOLERANCE = 1e-3;

    private CalibrateCommand() {
    }

    public static void main(String[] args) {
        MainRunner.run("calibrate", () -> System.out.println(run(args)));
    }

    /** The JSON product for a command line. */
    static String run(String[] args) throws IOException {
        Path predictions = null;
        Integer bins = null;
        int referenceBatch = ReferenceBatchEce.DEFAULT_BATCH;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--predictions") || a.equals("--bins") || a.equals("--reference-batch")) {
                if (i + 1 >= args.length) {
                    throw new UserFacingException(a + " needs a value");
                }
                String v = args[++i];
                if (a.equals("--predictions")) {
                    predictions = Path.of(v);
                } else if (a.equals("--bins")) {
                    bins = positive("--bins", v);
                } else {
                    referenceBatch = positive("--reference-batch", v);
                }
            } else if (a.startsWith("--predictions=")) {
                predictions = Path.of(a.substring("--predictions=".length()));
            } else if (a.startsWith("--bins=")) {
                bins = positive("--bins", a.substring("--bins=".length()));
            } else if (a.startsWith("--reference-batch=")) {
                referenceBatch = positive("--reference-batch", a.substring("--reference-batch=".length()));
            } else {
                rest.add(a);
            }
        }
        if (predictions == null) {
            throw new UserFacingException("calibrate needs --predictions FILE (JSON lines {\"label\": int, \"probs\": [...]}"
                    + " or {\"label\": int, \"logits\": [...]})");
        }
        Config config = CarotConfigLoader.load(rest.toArray(new String[0]));
        MetricSettings configured = MetricSettings.fromConfig(config);
        Set<Integer> binCounts = new LinkedHashSet<>();
        if (bins != null) {
            binCounts.add(bins);
        }
        binCounts.addAll(configured.eceBinList());
        MetricSettings settings = new MetricSettings(binCounts.stream().mapToInt(Integer::intValue).toArray(),
                configured.adaptiveBins());
        ReferenceBatchEce reference = new ReferenceBatchEce(referenceBatch);
        PredictionStats stats = score(predictions, settings, reference);
        return toJson(stats, settings, reference.value(), referenceBatch);
    }

    private static int positive(String option, String v) {
        try {
            int b = Integer.parseInt(v.strip());
            if (b >= 1) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserFacingException(option + " must be a positive integer, got '" + v + "'");
    }

    /** Reads and scores every line; {@code reference} gets each prediction at its place in file order. */
    static PredictionStats score(Path file, MetricSettings settings, ReferenceBatchEce reference) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        if (Files.isDirectory(file)) {
            throw new UserFacingException("--predictions " + file + " is a directory: give the JSON-lines file");
        }
        PredictionStats stats = new PredictionStats(settings, true);
        int numClasses = -1;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = "predictions " + file + " line " + lineNo + ": ";
                JsonNode node;
                try {
                    node = mapper.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new UserFacingException(where + "not JSON (" + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw new UserFacingException(where + "expected an object {\"label\": int, \"probs\"|\"logits\": [...]}");
                }
                JsonNode label = node.get("label");
                if (label == null || !label.canConvertToInt() || !label.isIntegralNumber() || label.asInt() < 0) {
                    throw new UserFacingException(where + "\"label\" must be a non-negative integer, got " + label);
                }
                boolean hasProbs = node.has("probs");
                if (hasProbs == node.has("logits")) {
                    throw new UserFacingException(where + "needs exactly one of \"probs\" and \"logits\"");
                }
                double[] values = numbers(node.get(hasProbs ? "probs" : "logits"), where + (hasProbs ? "probs" : "logits"));
                if (numClasses < 0) {
                    numClasses = values.length;
                } else if (values.length != numClasses) {
                    throw new UserFacingException(where + values.length + " classes, but earlier lines have "
                            + numClasses);
                }
                if (label.asInt() >= values.length) {
                    throw new UserFacingException(where + "label " + label.asInt() + " outside the " + values.length
                            + " classes");
                }
                double[] p;
                if (hasProbs) {
                    checkProbabilities(values, where);
                    stats.addProbabilities(values, label.asInt());
                    p = values;
                } else {
                    stats.addLogits(values, 1.0, label.asInt());
                    p = PredictionStats.probabilities(values, 1.0);
                }
                int top = PredictionStats.topLabel(p);
                reference.add(stats.count() - 1, p[top], top == label.asInt());
            }
        } catch (NoSuchFileException e) {
            throw new UserFacingException("predictions file not found: " + file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserFacingException("predictions file " + file + " cannot be read: permission denied");
        }
        if (stats.count() == 0) {
            throw new UserFacingException("predictions " + file + " has no predictions");
        }
        return stats;
    }

    private static double[] numbers(JsonNode array, String where) {
        if (array == null || !array.isArray() || array.size() < 2) {
            throw new UserFacingException(where + " must be an array of at least 2 numbers");
        }
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = array.get(i);
            if (!e.isNumber() || !Double.isFinite(e.asDouble())) {
                throw new UserFacingException(where + "[" + i + "] is not a finite number: " + e);
            }
            v[i] = e.asDouble();
        }
        return v;
    }

    private static void checkProbabilities(double[] p, String where) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] > 1) {
                throw new UserFacingException(where + "probs[" + i + "] = " + p[i] + " is not in [0, 1]");
            }
            sum += p[i];
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new UserFacingException(where + "probs sum to " + sum + ", not 1 (give \"logits\" for unnormalised"
                    + " scores)");
        }
    }

    /** The product; JSON has no NaN or infinity, so those print as null (an infinite NLL: a label had probability 0). */
    static String toJson(PredictionStats stats, MetricSettings settings, double eceReference, int referenceBatch)
            throws IOException {
        Metrics m = stats.metrics(settings);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = mapper.createObjectNode();
        o.put("n", m.n());
        ReportWriter.putNumber(o, "accuracy", m.accuracy());
        ReportWriter.putNumber(o, "top5_accuracy", m.top5Accuracy());
        ReportWriter.putNumber(o, "ece", m.ece());
        o.put("ece_bins", settings.headlineBins());
        ObjectNode byBins = o.putObject("ece_by_bins");
        m.eceByBins().forEach((b, v) -> ReportWriter.putNumber(byBins, Integer.toString(b), v));
        ReportWriter.putNumber(o, "ece_adaptive", m.adaptiveEce());
        o.put("adaptive_bins", settings.adaptiveBins());
        ReportWriter.putNumber(o, "ece_reference", eceReference);
        o.put("reference_batch", referenceBatch);
        o.put("reference_bins", ReferenceBatchEce.BINS);
        ReportWriter.putNumber(o, "mce", m.mce());
        ReportWriter.putNumber(o, "nll", m.nll());
        ReportWriter.putNumber(o, "brier", m.brier());
        ReportWriter.putBins(o.putArray("bins"), m.reliability());
        return mapper.writeValueAsString(o);
    }
}
