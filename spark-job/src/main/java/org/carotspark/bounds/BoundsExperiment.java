package org.carotspark.bounds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.report.ScatterPlotPng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The §5.1 error-bound experiment as a Spark job: the driver builds the grid of (variant, strength,
 * seed), each Spark task trains one model and measures it on ID and on every OOD shift, the driver
 * gathers the rows and writes bounds.json, bounds.md and the two Figure-3 scatter plots.
 */
public final class BoundsExperiment {

    private static final Logger LOG = LoggerFactory.getLogger(BoundsExperiment.class);

    public static final String JSON = "bounds.json";
    public static final String MARKDOWN = "bounds.md";
    public static final String PLOT_MSE = "bounds-rhs-vs-ood-mse.png";
    public static final String PLOT_ECE = "bounds-rhs-vs-ood-ece.png";

    /** The bound and how each of its terms is computed here, for bounds.md (see {@link BoundsFormula}). */
    static final String FORMULA_NOTE = String.join("\n",
            "### The bound (Oh et al., NeurIPS 2024, §3) and what is computed",
            "",
            "For a classifier h with output in [0, 1] reading a d-dimensional input (here the representation z = W x),"
                    + " both OOD errors share one upper bound: ECE_OOD(h) ≤ RHS (ineq. 1) and MSE_OOD(h) ≤ RHS (ineq. 2),"
                    + " RHS = ECE_ID(h) + B(d, σ_min(D_ID)) + [ID–OOD discrepancy and finite-sample terms], B growing with d"
                    + " and 1/σ_min(D_ID). Its model-dependent part is two ID quantities: ECE_ID and 1/σ_min(D_ID).",
            "",
            "Computed per model (as plotted in the paper's Figure 3): `" + BoundsFormula.TEXT + "`.",
            "",
            "- ECE_ID: top-label ECE on the ID test set.",
            "- σ_min(D_ID): smallest eigenvalue of the sample covariance of the column-standardised ID training"
                    + " representations z (their correlation matrix; in [0, 1], independent of the scale of W), as in the"
                    + " paper's Table 1 / Figure 6 — the representation fed to the head, not the raw input x.",
            "- Not computed: d (= k, the same for every model), the ID–OOD discrepancy and the δ / sample-size terms."
                    + " The paper's plotted RHS uses ID data only; these terms are constant for one (ID, OOD) pair, so"
                    + " within one OOD set they cannot change the correlation, while across OOD sets of different"
                    + " strength they differ (hence the within-shift correlations next to any pooled one).",
            "- The paper's constant B and its discrepancy term are left out: they do not depend on the model.",
            "", "");

    private BoundsExperiment() {
    }

    /** What a run produced. */
    public record Result(List<BoundsRow> rows, BoundsSummary summary, Path outputDir) {
    }

    public static Result run(SparkSession spark, Config config) {
        BoundsSettings s = BoundsSettings.from(config);
        Path out = Paths.get(s.outputDir());
        List<RunSpec> grid = RunSpec.grid(s);
        int partitions = s.partitions() == 0 ? grid.size() : Math.min(s.partitions(), grid.size());
        LOG.info("bounds: {} models ({} variants x strengths x {} seeds), {} OOD shifts each -> {} rows, {} Spark tasks",
                grid.size(), Variant.values().length, s.seeds().size(), s.shiftStrengths().size(),
                grid.size() * s.shiftStrengths().size(), partitions);
        LOG.info("bounds: data d={} ({}+{}+{}), n_train={}, rep k={}, loss={}, {} steps, lr={}, wd={}",
                s.data().dims(), s.data().block1Dims(), s.data().block2Dims(), s.data().noiseDims(),
                s.data().trainSize(), s.repDim(), s.loss(), s.steps(), s.learningRate(), s.weightDecay());

        long start = System.nanoTime();
        ProgressListener progress = new ProgressListener(partitions, start);
        spark.sparkContext().addSparkListener(progress);
        List<BoundsRow> rows;
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.setJobDescription("carot bounds: " + grid.size() + " models");
            rows = new ArrayList<>(jsc.parallelize(grid, partitions)
                    .flatMap(spec -> runLogged(s, spec).iterator())
                    .collect());
        } finally {
            spark.sparkContext().removeSparkListener(progress);
        }
        rows.sort(ROW_ORDER);
        LOG.info("bounds: {} rows gathered in {}", rows.size(), seconds(start));

        BoundsSummary summary = new BoundsSummary(rows);
        write(out, s, rows, summary);
        logSummary(summary, out);
        return new Result(rows, summary, out);
    }

    /** The task body: one model, with a readable line when it is done. */
    static List<BoundsRow> runLogged(BoundsSettings s, RunSpec spec) {
        long t0 = System.nanoTime();
        List<BoundsRow> rows = BoundsRun.execute(s, spec);
        BoundsRow r = rows.get(0);
        double mse = rows.stream().mapToDouble(BoundsRow::oodMse).average().orElse(Double.NaN);
        double ece = rows.stream().mapToDouble(BoundsRow::oodEce).average().orElse(Double.NaN);
        LoggerFactory.getLogger(BoundsExperiment.class).info(
                String.format(Locale.ROOT, "run %-28s done in %s: ID σ_min %.4f, ID ECE %.4f, OOD MSE %.4f, OOD ECE %.4f (mean over shifts)",
                        spec.key(), seconds(t0), r.idSigmaMin(), r.idEce(), mse, ece));
        return rows;
    }

    static final Comparator<BoundsRow> ROW_ORDER = Comparator
            .comparing(BoundsRow::variantEnum)
            .thenComparingDouble(BoundsRow::lambdaOc)
            .thenComparingDouble(BoundsRow::lambdaSd)
            .thenComparingInt(BoundsRow::seed)
            .thenComparingDouble(BoundsRow::shift);

    private static void write(Path out, BoundsSettings s, List<BoundsRow> rows, BoundsSummary summary) {
        try {
            Files.createDirectories(out);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("experiment", "CaRot §5.1 error-bound analysis on synthetic Gaussian data");
            json.put("rhsFormula", BoundsFormula.TEXT);
            json.put("settings", s);
            json.put("rows", rows);
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            Files.writeString(out.resolve(JSON), mapper.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("cannot write to carot.bounds.output-dir " + out + ": " + e.getMessage(), e);
        }

        ScatterPlotPng.Summary mse = plot(out.resolve(PLOT_MSE), "RHS vs OOD MSE", "OOD MSE (LHS)", rows, true, s);
        ScatterPlotPng.Summary ece = plot(out.resolve(PLOT_ECE), "RHS vs OOD ECE", "OOD ECE (LHS)", rows, false, s);

        StringBuilder md = new StringBuilder();
        md.append("# Error-bound analysis on synthetic data (CaRot §5.1, Table 1, Figure 3)\n\n");
        md.append(String.format(Locale.ROOT,
                "Binary classification, d = %d Gaussian features (block 1: %d dims, class mean ±%s; block 2: %d dims, "
                        + "class mean ±%s; %d noise dims; noise std %s). OOD shift strength t ∈ %s: block-1 class mean × (1 − %s·t), "
                        + "block 2 × max(0, 1 − %s·t). n_train = %d, n_test = %d, n_ood = %d per shift.%n%n",
                s.data().dims(), s.data().block1Dims(), s.data().block1Mean(), s.data().block2Dims(), s.data().block2Mean(),
                s.data().noiseDims(), s.data().noiseStd(), s.shiftStrengths(), s.data().block1MeanDrop(),
                s.data().block2ScaleDrop(), s.data().trainSize(), s.data().testSize(), s.data().oodSize()));
        md.append(String.format(Locale.ROOT,
                "Model: h = W x (k = %d), p = sigmoid(v·h + b), %s objective, %d full-batch GD steps, lr %s, weight decay %s. "
                        + "Variants: plain; +SV = λ_OC·‖W Wᵀ − I‖_F; +calib = λ_SD·CE(EMA teacher p, student p); both. "
                        + "Seeds: %s.%n%n",
                s.repDim(), s.loss().name().toLowerCase(Locale.ROOT), s.steps(), s.learningRate(), s.weightDecay(), s.seeds()));
        md.append(FORMULA_NOTE);
        md.append("## Table 1 layout (best case per variant: the strength with the lowest mean OOD MSE; mean ± std over seeds; OOD = mean over shifts)\n\n");
        md.append(summary.table1()).append('\n');
        md.append("## Findings\n\n").append(summary.findingsText()).append('\n');
        md.append("## Figure 3: RHS (x) vs LHS (y), one point per (variant, strength, seed, shift)\n\n");
        md.append(String.format(Locale.ROOT, "- OOD MSE: Pearson r = %.3f, Spearman ρ = %.3f, fit y = %.4g + %.4g·x — `%s`%n",
                mse.pearson(), mse.spearman(), mse.line().intercept(), mse.line().slope(), PLOT_MSE));
        md.append(String.format(Locale.ROOT, "- OOD ECE: Pearson r = %.3f, Spearman ρ = %.3f, fit y = %.4g + %.4g·x — `%s`%n%n",
                ece.pearson(), ece.spearman(), ece.line().intercept(), ece.line().slope(), PLOT_ECE));
        md.append("![RHS vs OOD MSE](").append(PLOT_MSE).append(")\n\n![RHS vs OOD ECE](").append(PLOT_ECE).append(")\n\n");
        md.append("## Every grid cell\n\n").append(summary.fullGrid());
        try {
            Files.writeString(out.resolve(MARKDOWN), md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + out.resolve(MARKDOWN) + ": " + e.getMessage(), e);
        }
    }

    private static ScatterPlotPng.Summary plot(Path file, String title, String yLabel, List<BoundsRow> rows,
                                               boolean mse, BoundsSettings s) {
        List<ScatterPlotPng.Series> series = new ArrayList<>();
        for (Variant v : Variant.values()) {
            List<BoundsRow> vr = rows.stream().filter(r -> r.variantEnum() == v).toList();
            if (vr.isEmpty()) {
                continue;
            }
            series.add(new ScatterPlotPng.Series(v.label(),
                    vr.stream().mapToDouble(BoundsRow::rhs).toArray(),
                    vr.stream().mapToDouble(r -> mse ? r.oodMse() : r.oodEce()).toArray()));
        }
        return ScatterPlotPng.write(file, title, "RHS = (ID ECE + 1 / σ_min(D_ID)) / 2", yLabel,
                series, s.plotWidth(), s.plotHeight());
    }

    private static void logSummary(BoundsSummary summary, Path out) {
        StringBuilder sb = new StringBuilder();
        sb.append("bounds summary (Table 1 layout, best case per variant, mean ± std over seeds)\n");
        sb.append(summary.table1());
        sb.append("findings:\n").append(summary.findingsText().replace("**", ""));
        sb.append("outputs: ").append(out.toAbsolutePath().resolve(JSON)).append(", ").append(MARKDOWN)
                .append(", ").append(PLOT_MSE).append(", ").append(PLOT_ECE);
        LOG.info("\n{}", sb);
    }

    static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    /** Driver-side progress: one line per finished task (= model), with the count and elapsed time. */
    private static final class ProgressListener extends SparkListener {
        private final int total;
        private final long start;
        private final AtomicInteger done = new AtomicInteger();

        ProgressListener(int total, long start) {
            this.total = total;
            this.start = start;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            int n = done.incrementAndGet();
            LOG.info("bounds progress: {}/{} tasks finished ({}), {}", n, total,
                    taskEnd.reason().toString(), seconds(start));
        }
    }
}
