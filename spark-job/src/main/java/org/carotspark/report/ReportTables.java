package org.carotspark.report;

import org.carotspark.metrics.Metrics;
import org.carotspark.data.CorruptionNames;
import org.carotspark.data.Split;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The report's tables, in the paper's layouts: Table 2 (accuracy) and Table 3 (ECE, raw and
 * temperature-scaled) with rows = methods and columns = ID, each natural shift, their average and
 * IN-C (plus σ_min when spectra are given); the ablation layout of Tables 4/5 (rows = method and
 * setting, columns = ID and OOD-average accuracy and ECE); IN-C per corruption (Figure 4's data); the
 * tuned temperatures; and every metric of every split, raw and temperature-scaled.
 */
final class ReportTables {

    static final String MISSING = "–";

    private ReportTables() {
    }

    static List<Table> all(ReportData data) {
        List<Table> out = new ArrayList<>();
        out.add(bySplit(data, "Table 2 layout: top-1 accuracy (%)", ResultRow::accuracy));
        out.add(bySplit(data, "Table 3 layout: ECE (%), raw", ResultRow::ece));
        out.add(bySplit(data, "Table 3 layout: ECE (%), temperature-scaled on the ID held-out split",
                ResultRow::eceTs));
        out.add(referenceEce(data));
        out.add(ablation(data));
        if (!corruptions(data).isEmpty()) {
            out.add(perCorruption(data, "ImageNet-C per corruption (Figure 4): top-1 accuracy (%)", ResultRow::accuracy));
            out.add(perCorruption(data, "ImageNet-C per corruption: ECE (%), raw", ResultRow::ece));
            out.add(perCorruption(data, "ImageNet-C per corruption: ECE (%), temperature-scaled", ResultRow::eceTs));
        }
        out.add(temperatures(data));
        out.add(allMetrics(data, "All metrics at T = 1", ResultRow::raw));
        out.add(allMetrics(data, "All metrics, temperature-scaled", ResultRow::scaled));
        return out;
    }

    /** Rows = methods, columns = the paper's split order (ID, five shifts, OOD average, IN-C), plus σ_min. */
    static Table bySplit(ReportData data, String title, ToDoubleFunction<ResultRow> metric) {
        boolean spectra = !data.spectra().isEmpty();
        List<String> header = new ArrayList<>(List.of("method"));
        header.addAll(ReportWriter.COLUMNS);
        if (spectra) {
            header.add("σ_min");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String method : data.methods()) {
            List<String> row = new ArrayList<>(List.of(method));
            for (String split : ReportWriter.COLUMNS) {
                row.add(percent(total(data, method, split).map(metric::applyAsDouble)));
            }
            if (spectra) {
                row.add(decimal(data.sigmaMin(method), 4));
            }
            rows.add(row);
        }
        return new Table(title, header, 1, rows, "");
    }

    /** Table 3's layout with the reference code's per-batch ECE: the numbers to put beside the paper's. */
    static Table referenceEce(ReportData data) {
        Table t = bySplit(data, "Table 3 layout: ECE (%) by the reference code's per-batch rule (compare these with"
                + " the paper's)", r -> r.raw().eceReference());
        return new Table(t.title(), t.header(), t.textColumns(), t.rows(), "torchmetrics' 10-bin L1 ECE per"
                + " evaluation batch of the class-sorted loader (carot.eval.reference-ece-batch images), weighted by"
                + " batch size, as CaRot's eval.py reports it; the tables above use one ECE over the whole split.");
    }

    /** Tables 4/5 layout: one row per method (its setting beside it), ID and OOD-average accuracy and ECE. */
    static Table ablation(ReportData data) {
        boolean spectra = !data.spectra().isEmpty();
        List<String> header = new ArrayList<>(List.of("method", "setting", "ID acc", "ID ECE", "ID ECE (TS)",
                "OOD acc", "OOD ECE", "OOD ECE (TS)"));
        if (spectra) {
            header.add("σ_min");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String method : data.methods()) {
            Optional<ResultRow> id = total(data, method, Split.IMAGENET.configName());
            Optional<ResultRow> ood = total(data, method, ReportWriter.OOD_AVG);
            List<String> row = new ArrayList<>(List.of(method, data.methodSettings().getOrDefault(method, MISSING),
                    percent(id.map(ResultRow::accuracy)), percent(id.map(ResultRow::ece)),
                    percent(id.map(ResultRow::eceTs)), percent(ood.map(ResultRow::accuracy)),
                    percent(ood.map(ResultRow::ece)), percent(ood.map(ResultRow::eceTs))));
            if (spectra) {
                row.add(decimal(data.sigmaMin(method), 4));
            }
            rows.add(row);
        }
        return new Table("Ablation layout (Tables 4/5): ID and OOD-average accuracy and ECE (%)", header, 2, rows,
                "OOD = mean over ImageNet-V2, -R, -A, -Sketch and ObjectNet; TS = temperature-scaled.");
    }

    /** Rows = methods, columns = IN-C corruptions (mean over severities) and their mean. */
    static Table perCorruption(ReportData data, String title, ToDoubleFunction<ResultRow> metric) {
        List<String> corruptions = corruptions(data);
        List<String> header = new ArrayList<>(List.of("method"));
        header.addAll(corruptions);
        header.add("mean");
        List<List<String>> rows = new ArrayList<>();
        for (String method : data.methods()) {
            List<String> row = new ArrayList<>(List.of(method));
            for (String c : corruptions) {
                row.add(percent(corruptionMean(data, method, c).map(metric::applyAsDouble)));
            }
            row.add(percent(total(data, method, Split.IMAGENET_C.configName()).map(metric::applyAsDouble)));
            rows.add(row);
        }
        return new Table(title, header, 1, rows, "Each cell is the mean over severities 1–5; "
                + "\"mean\" is the mean over every (corruption, severity).");
    }

    static Table temperatures(ReportData data) {
        List<List<String>> rows = new ArrayList<>();
        for (String method : data.methods()) {
            data.rows().stream().filter(r -> r.method().equals(method)).findFirst().ifPresent(r -> rows.add(List.of(
                    method, r.temperatureAtGridEdge() ? "yes: the optimum lies beyond the widened grid" : "no",
                    decimal(r.temperature(), 4))));
        }
        return new Table("Temperature tuned on the ID held-out split", List.of("method", "on grid edge", "T"), 2,
                rows, "");
    }

    /** Every metric of every split total for one temperature. */
    static Table allMetrics(ReportData data, String title, Function<ResultRow, Metrics> which) {
        List<Integer> binCounts = data.rows().stream().flatMap(r -> which.apply(r).eceByBins().keySet().stream())
                .distinct().sorted().toList();
        List<String> header = new ArrayList<>(List.of("method", "split", "n", "acc", "top-5"));
        binCounts.forEach(b -> header.add("ECE_" + b));
        header.addAll(List.of("ECE s.e.", "ECE (equal mass)", "ECE (reference)", "MCE", "NLL", "Brier"));
        List<List<String>> rows = new ArrayList<>();
        for (String method : data.methods()) {
            for (String split : ReportWriter.COLUMNS) {
                Optional<ResultRow> r = total(data, method, split);
                if (r.isEmpty()) {
                    continue;
                }
                Metrics m = which.apply(r.get());
                List<String> row = new ArrayList<>(List.of(method, split, Long.toString(m.n()),
                        percent(m.accuracy()), percent(m.top5Accuracy())));
                binCounts.forEach(b -> row.add(percent(m.eceByBins().getOrDefault(b, Double.NaN))));
                row.addAll(List.of(percent(m.eceStdError()), percent(m.adaptiveEce()), percent(m.eceReference()),
                        percent(m.mce()),
                        decimal(m.nll(), 4),
                        decimal(m.brier(), 4)));
                rows.add(row);
            }
        }
        return new Table(title, header, 2, rows, "Accuracies, ECEs and MCE in %; ECE_M uses M equal-width bins;"
                + " ECE s.e. is the bootstrap standard error of the headline ECE; ECE (reference) is the reference"
                + " code's per-batch rule (10 bins per evaluation batch, weighted by batch size).");
    }

    static Optional<ResultRow> total(ReportData data, String method, String split) {
        return data.rows().stream()
                .filter(r -> r.method().equals(method) && r.split().equals(split) && r.isSplitTotal()).findFirst();
    }

    static Optional<ResultRow> corruptionMean(ReportData data, String method, String corruption) {
        return data.rows().stream().filter(r -> r.method().equals(method) && corruption.equals(r.corruption())
                && r.severity() == null).findFirst();
    }

    /** IN-C corruptions present in the rows, in the benchmark's order. */
    static List<String> corruptions(ReportData data) {
        return data.rows().stream().map(ResultRow::corruption).filter(Objects::nonNull).distinct()
                .sorted(Comparator.comparingInt(CorruptionNames::order).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    static String percent(Optional<Double> v) {
        return v.map(ReportTables::percent).orElse(MISSING);
    }

    static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", 100 * v) : MISSING;
    }

    static String decimal(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : MISSING;
    }
}
