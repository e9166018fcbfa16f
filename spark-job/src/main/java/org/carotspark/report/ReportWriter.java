package org.carotspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.carotspark.metrics.Metrics;
import org.carotspark.metrics.ReliabilityBin;
import org.carotspark.data.Split;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes {@code report.json} (flat {@code results} rows with every metric raw and temperature-scaled,
 * plus {@code reliability} bins and feature {@code spectra}), {@code report.md} (the paper's table
 * layouts, see {@link ReportTables}), {@code report.csv} (the flat rows) and {@code report.html}
 * ({@link HtmlReport}). Each file is written to a temporary name and moved into place, so a failed
 * write never leaves half a report.
 */
public final class ReportWriter {

    private static final String TMP = ".tmp";

    /** The report's own column: the mean over the five natural shifts. */
    public static final String OOD_AVG = "ood-avg";
    /** Column order of the tables, as in the paper: ID, the five natural shifts, their mean, IN-C. */
    static final List<String> COLUMNS = columns();
    private static final List<String> SHIFT_NAMES = Split.naturalShifts().stream().map(Split::configName).toList();

    private ReportWriter() {
    }

    private static List<String> columns() {
        List<String> c = new ArrayList<>();
        c.add(Split.IMAGENET.configName());
        Split.naturalShifts().forEach(s -> c.add(s.configName()));
        c.add(OOD_AVG);
        c.add(Split.IMAGENET_C.configName());
        return List.copyOf(c);
    }

    /** Adds the {@code ood-avg} row (mean over the five natural shifts) for each method that has all five. */
    public static List<ResultRow> withOodAverage(List<ResultRow> rows) {
        List<ResultRow> out = new ArrayList<>(rows);
        Map<String, List<ResultRow>> byMethod = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            if (SHIFT_NAMES.contains(r.split()) && r.isSplitTotal()) {
                byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
            }
        }
        byMethod.forEach((method, shifts) -> {
            if (shifts.size() == SHIFT_NAMES.size()) {
                ResultRow first = shifts.get(0);
                out.add(new ResultRow(method, OOD_AVG, null, null, first.temperature(),
                        first.temperatureAtGridEdge(),
                        Metrics.mean(shifts.stream().map(ResultRow::raw).toList(), List.of()),
                        Metrics.mean(shifts.stream().map(ResultRow::scaled).toList(), List.of())));
            }
        });
        return out;
    }

    public static void write(java.nio.file.Path dir, List<ResultRow> rows, Map<String, Object> runInfo)
            throws IOException {
        write(dir, ReportData.of(rows), runInfo);
    }

    public static void write(java.nio.file.Path dir, ReportData data, Map<String, Object> runInfo) throws IOException {
        write(new Path(dir.toUri()), new Configuration(), data, runInfo);
    }

    /**
     * Writes report.json, .md, .csv and .html into {@code dir} on any Hadoop file system: every file first under
     * a temporary name, then each moved over its predecessor, so a failed write (a full disk) leaves the previous
     * report as it was and no partial file; the failure is one line naming the directory.
     */
    public static void write(Path dir, Configuration hadoop, ReportData data, Map<String, Object> runInfo)
            throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", json(data, runInfo));
        files.put("report.md", markdown(data));
        files.put("report.csv", csv(data.rows()));
        files.put("report.html", HtmlReport.render(data, runInfo));
        FileSystem fs = dir.getFileSystem(hadoop);
        fs.setWriteChecksum(false);
        try {
            requireDirectory(fs, dir);
            for (Map.Entry<String, String> f : files.entrySet()) {
                try (FSDataOutputStream out = fs.create(new Path(dir, f.getKey() + TMP), true)) {
                    out.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            for (String name : files.keySet()) {
                Path target = new Path(dir, name);
                fs.delete(target, false);
                if (!fs.rename(new Path(dir, name + TMP), target)) {
                    throw new IOException("cannot move " + name + TMP + " to " + name);
                }
            }
        } catch (IOException | FSError e) {
            for (String name : files.keySet()) {
                try {
                    fs.delete(new Path(dir, name + TMP), false);
                } catch (IOException | RuntimeException ignored) {
                    // the one-line error below is what matters
                }
            }
            throw UserFacingException.because("cannot write the report to " + dir, e);
        }
    }

    /** Fails with one line, before any work, when the report could not be written to {@code dir}. */
    public static void checkWritable(Path dir, Configuration hadoop) {
        try {
            requireDirectory(dir.getFileSystem(hadoop), dir);
        } catch (IOException e) {
            throw UserFacingException.because("carot.output-dir " + dir + " cannot hold the report", e);
        }
    }

    private static void requireDirectory(FileSystem fs, Path dir) throws IOException {
        if (fs.exists(dir) && !fs.getFileStatus(dir).isDirectory()) {
            throw new IOException(dir + " is a file, not a directory");
        }
        if (!fs.mkdirs(dir)) {
            throw new IOException("cannot create " + dir);
        }
    }

    /** The flat columns of a row, in order: identity, then each metric at T = 1 and with suffix {@code _ts}. */
    static Map<String, Object> flat(ResultRow r, List<Integer> binCounts) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", r.method());
        o.put("split", r.split());
        o.put("corruption", r.corruption());
        o.put("severity", r.severity());
        o.put("n", r.n());
        o.put("temperature", r.temperature());
        o.put("temperature_at_grid_edge", r.temperatureAtGridEdge());
        putMetrics(o, r.raw(), "", binCounts);
        putMetrics(o, r.scaled(), "_ts", binCounts);
        return o;
    }

    private static void putMetrics(Map<String, Object> o, Metrics m, String suffix, List<Integer> binCounts) {
        o.put("accuracy" + suffix, m.accuracy());
        o.put("top5_accuracy" + suffix, m.top5Accuracy());
        o.put("ece" + suffix, m.ece());
        for (int b : binCounts) {
            o.put("ece_" + b + suffix, m.eceByBins().getOrDefault(b, Double.NaN));
        }
        o.put("ece_se" + suffix, m.eceStdError());
        o.put("ece_adaptive" + suffix, m.adaptiveEce());
        o.put("ece_reference" + suffix, m.eceReference());
        o.put("mce" + suffix, m.mce());
        o.put("nll" + suffix, m.nll());
        o.put("brier" + suffix, m.brier());
    }

    /** Every equal-width bin count that appears in any row. */
    static List<Integer> binCounts(List<ResultRow> rows) {
        TreeSet<Integer> counts = new TreeSet<>();
        for (ResultRow r : rows) {
            counts.addAll(r.raw().eceByBins().keySet());
            counts.addAll(r.scaled().eceByBins().keySet());
        }
        return new ArrayList<>(counts);
    }

    static String json(List<ResultRow> rows, Map<String, Object> runInfo) throws IOException {
        return json(ReportData.of(rows), runInfo);
    }

    static String json(ReportData data, Map<String, Object> runInfo) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("run", mapper.valueToTree(runInfo));
        List<Integer> bins = binCounts(data.rows());
        ArrayNode results = root.putArray("results");
        for (ResultRow r : data.rows()) {
            ObjectNode o = results.addObject();
            flat(r, bins).forEach((k, v) -> put(o, k, v));
        }
        ArrayNode reliability = root.putArray("reliability");
        for (ResultRow r : data.rows()) {
            reliabilityEntry(reliability, r, false, r.raw());
            reliabilityEntry(reliability, r, true, r.scaled());
        }
        ArrayNode spectra = root.putArray("spectra");
        for (FeatureSpectrum s : data.spectra()) {
            ObjectNode o = spectra.addObject();
            o.put("method", s.method());
            o.put("split", s.split());
            put(o, "sigma_min", s.sigmaMin());
            ArrayNode values = o.putArray("smallest_singular_values");
            for (double v : s.smallestSingularValues()) {
                values.add(v);
            }
        }
        root.set("method_settings", mapper.valueToTree(data.methodSettings()));
        return mapper.writeValueAsString(root) + "\n";
    }

    private static void reliabilityEntry(ArrayNode out, ResultRow r, boolean scaled, Metrics m) {
        if (m.reliability().isEmpty()) {
            return;
        }
        ObjectNode o = out.addObject();
        o.put("method", r.method());
        o.put("split", r.split());
        put(o, "corruption", r.corruption());
        put(o, "severity", r.severity());
        o.put("temperature_scaled", scaled);
        putBins(o.putArray("bins"), m.reliability());
    }

    /** Reliability bins as JSON objects: lower, upper, count, mean_confidence, accuracy (null when empty). */
    public static void putBins(ArrayNode out, List<ReliabilityBin> bins) {
        for (ReliabilityBin b : bins) {
            ObjectNode bo = out.addObject();
            bo.put("lower", b.lower());
            bo.put("upper", b.upper());
            bo.put("count", b.count());
            putNumber(bo, "mean_confidence", b.meanConfidence());
            putNumber(bo, "accuracy", b.accuracy());
        }
    }

    /** JSON has no NaN or infinity: a non-finite number becomes null. */
    public static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** JSON has no NaN: a non-finite number or a missing value becomes null. */
    private static void put(ObjectNode o, String key, Object v) {
        if (v == null) {
            o.putNull(key);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) {
                o.put(key, d);
            } else {
                o.putNull(key);
            }
        } else if (v instanceof Long l) {
            o.put(key, l);
        } else if (v instanceof Integer i) {
            o.put(key, i);
        } else if (v instanceof Boolean b) {
            o.put(key, b);
        } else {
            o.put(key, v.toString());
        }
    }

    public static String markdown(List<ResultRow> rows) {
        return markdown(ReportData.of(rows));
    }

    public static String markdown(ReportData data) {
        return ReportTables.all(data).stream().map(Table::markdown).collect(Collectors.joining("\n"));
    }

    static String csv(List<ResultRow> rows) {
        List<Integer> bins = binCounts(rows);
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(flat(rows.isEmpty() ? placeholderRow() : rows.get(0), bins).keySet());
        sb.append(String.join(",", header)).append('\n');
        for (ResultRow r : rows) {
            sb.append(flat(r, bins).values().stream().map(ReportWriter::csvCell).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return sb.toString();
    }

    private static ResultRow placeholderRow() {
        return new ResultRow("", "", 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private static String csvCell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6f", d) : "";
        }
        String s = v.toString();
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

}
