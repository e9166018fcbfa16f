package org.carotspark.report;

import org.carotspark.metrics.Metrics;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * {@code report.html}: one self-contained page (inline CSS, PNGs embedded as base64, no scripts, no
 * external resources) with the report's tables and plots — a reliability diagram per method and
 * split (at T = 1 and temperature-scaled), IN-C accuracy and ECE per corruption per method, and the
 * spectrum of the smallest singular values of each method's standardised ID feature covariance.
 */
final class HtmlReport {

    static final int DIAGRAM_SIZE = 260;
    static final int CHART_WIDTH = 1000;
    static final int CHART_HEIGHT = 440;

    private static final String STYLE = """
            body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
            h1 { font-size: 24px; } h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #ccc; }
            h3 { font-size: 16px; margin-top: 24px; }
            table { border-collapse: collapse; margin: 8px 0; font-size: 13px; display: block; overflow-x: auto; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
            th.t, td.t { text-align: left; } thead th { background: #f2f2f2; }
            .note { color: #555; font-size: 13px; }
            .grid { display: flex; flex-wrap: wrap; gap: 6px; }
            .grid img { border: 1px solid #ddd; }
            .method { font-weight: bold; margin: 14px 0 4px; }
            """;

    private HtmlReport() {
    }

    static String render(ReportData data, Map<String, Object> runInfo) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>CaRot-Spark evaluation report</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>CaRot-Spark evaluation report</h1>\n");
        sb.append("<p class=\"note\">Methods: ").append(Html.escape(String.join(", ", data.methods())))
                .append(". Accuracy and ECE in %; TS = temperature-scaled with the temperature tuned on the ID held-out"
                        + " split.");
        Object wall = runInfo.get("wall_seconds");
        if (wall instanceof Number w) {
            sb.append(String.format(Locale.ROOT, " Run took %.0f s.", w.doubleValue()));
        }
        sb.append("</p>\n<h2 id=\"tables\">Tables</h2>\n");
        for (Table t : ReportTables.all(data)) {
            sb.append(t.html());
        }
        sb.append("<h2 id=\"reliability\">Reliability diagrams</h2>\n<p class=\"note\">Bars: accuracy per"
                + " equal-width confidence bin; red: the gap to the bin's mean confidence; dashed: perfect calibration;"
                + " diamond: predictions with confidence exactly 1 (a bin of its own).</p>\n");
        reliability(sb, data);
        sb.append("<h2 id=\"imagenet-c\">ImageNet-C per corruption</h2>\n");
        imagenetC(sb, data);
        sb.append("<h2 id=\"spectrum\">Feature spectrum (Figure 6)</h2>\n");
        spectrum(sb, data);
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void reliability(StringBuilder sb, ReportData data) {
        boolean any = false;
        for (String method : data.methods()) {
            for (boolean scaled : new boolean[] {false, true}) {
                List<String> images = new ArrayList<>();
                for (String split : ReportWriter.COLUMNS) {
                    Optional<ResultRow> row = ReportTables.total(data, method, split);
                    if (row.isEmpty()) {
                        continue;
                    }
                    Metrics m = scaled ? row.get().scaled() : row.get().raw();
                    if (m.reliability().isEmpty()) {
                        continue;
                    }
                    String title = split + (scaled ? " (TS)" : "");
                    images.add(img(ReliabilityDiagramPng.render(title, m.reliability(), m.ece(), DIAGRAM_SIZE,
                            DIAGRAM_SIZE), "reliability diagram: " + method + " on " + title));
                }
                if (!images.isEmpty()) {
                    any = true;
                    sb.append("<div class=\"method\">").append(Html.escape(method)).append(scaled
                            ? String.format(Locale.ROOT, ", temperature-scaled (T = %.3f)", temperature(data, method))
                            : ", T = 1").append("</div>\n<div class=\"grid\">\n");
                    images.forEach(i -> sb.append(i).append('\n'));
                    sb.append("</div>\n");
                }
            }
        }
        if (!any) {
            sb.append("<p class=\"note\">No reliability bins in this report's input.</p>\n");
        }
    }

    private static double temperature(ReportData data, String method) {
        return data.rows().stream().filter(r -> r.method().equals(method)).mapToDouble(ResultRow::temperature)
                .findFirst().orElse(Double.NaN);
    }

    private static void imagenetC(StringBuilder sb, ReportData data) {
        List<String> corruptions = ReportTables.corruptions(data);
        if (corruptions.isEmpty()) {
            sb.append("<p class=\"note\">No ImageNet-C results in this report's input.</p>\n");
            return;
        }
        sb.append(img(corruptionChart(data, corruptions, "Top-1 accuracy per corruption (mean over severities)",
                "accuracy (%)", ResultRow::accuracy), "IN-C accuracy per corruption per method")).append("<br>\n");
        sb.append(img(corruptionChart(data, corruptions, "ECE per corruption (mean over severities), T = 1",
                "ECE (%)", ResultRow::ece), "IN-C ECE per corruption per method")).append("<br>\n");
        sb.append(img(corruptionChart(data, corruptions, "ECE per corruption (mean over severities), temperature-scaled",
                "ECE (%)", ResultRow::eceTs), "IN-C temperature-scaled ECE per corruption per method")).append('\n');
    }

    private static byte[] corruptionChart(ReportData data, List<String> corruptions, String title, String yLabel,
                                          ToDoubleFunction<ResultRow> metric) {
        List<CategoryChartPng.Series> series = new ArrayList<>();
        for (String method : data.methods()) {
            double[] v = new double[corruptions.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ReportTables.corruptionMean(data, method, corruptions.get(i))
                        .map(r -> 100 * metric.applyAsDouble(r)).orElse(Double.NaN);
            }
            series.add(new CategoryChartPng.Series(method, v));
        }
        return CategoryChartPng.render(title, yLabel, corruptions, series, CHART_WIDTH, CHART_HEIGHT);
    }

    private static void spectrum(StringBuilder sb, ReportData data) {
        if (data.spectra().isEmpty()) {
            sb.append("<p class=\"note\">No feature spectra in this report's input.</p>\n");
            return;
        }
        List<LineChartPng.Series> series = data.spectra().stream().map(s -> new LineChartPng.Series(
                String.format(Locale.ROOT, "%s (σ_min %.3g)", s.method(), s.sigmaMin()), s.smallestSingularValues()))
                .toList();
        int k = data.spectra().stream().mapToInt(s -> s.smallestSingularValues().length).max().orElse(0);
        sb.append(img(LineChartPng.render("Smallest " + k + " singular values of the covariance of standardised ID"
                        + " features", "index (ascending)", "singular value", series, true, CHART_WIDTH, CHART_HEIGHT),
                "feature spectrum per method")).append('\n');
        sb.append("<p class=\"note\">Split: ").append(Html.escape(data.spectra().get(0).split()))
                .append(". A larger σ_min means a better-conditioned ID representation (the paper's bound).</p>\n");
    }

    private static String img(byte[] png, String alt) {
        return "<img alt=\"" + Html.escape(alt) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png) + "\">";
    }
}
