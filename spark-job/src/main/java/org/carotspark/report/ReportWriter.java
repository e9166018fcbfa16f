package org.carotspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.carotspark.data.Split;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code report.json} (flat {@code results} list), {@code report.md} (accuracy and ECE
 * tables, rows = methods, columns = splits, as in the paper) and {@code report.csv}. Each file is
 * written to a temporary name and moved into place, so a failed write never leaves half a report.
 */
public final class ReportWriter {

    /** The report's own column: the mean over the five natural shifts. */
    public static final String OOD_AVG = "ood-avg";
    /** Column order of the tables, as in the paper: ID, the five natural shifts, their mean, IN-C. */
    static final List<String> COLUMNS = columns();

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
            if (Split.fromConfigName(r.split()).isOodShift()) {
                byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
            }
        }
        byMethod.forEach((method, shifts) -> {
            if (shifts.size() == Split.naturalShifts().size()) {
                out.add(new ResultRow(method, OOD_AVG, shifts.stream().mapToLong(ResultRow::n).sum(),
                        mean(shifts, ResultRow::accuracy), mean(shifts, ResultRow::ece),
                        mean(shifts, ResultRow::eceTs), shifts.get(0).temperature()));
            }
        });
        return out;
    }

    private static double mean(List<ResultRow> rows, ToDoubleFunction<ResultRow> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    public static void write(Path dir, List<ResultRow> rows, Map<String, Object> runInfo) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve("report.json"), json(rows, runInfo));
        writeAtomically(dir.resolve("report.md"), markdown(rows));
        writeAtomically(dir.resolve("report.csv"), csv(rows));
    }

    static String json(List<ResultRow> rows, Map<String, Object> runInfo) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("run", mapper.valueToTree(runInfo));
        ArrayNode results = root.putArray("results");
        for (ResultRow r : rows) {
            ObjectNode o = results.addObject();
            o.put("method", r.method());
            o.put("split", r.split());
            o.put("n", r.n());
            o.put("accuracy", r.accuracy());
            o.put("ece", r.ece());
            o.put("ece_ts", r.eceTs());
            o.put("temperature", r.temperature());
        }
        return mapper.writeValueAsString(root) + "\n";
    }

    public static String markdown(List<ResultRow> rows) {
        return "## Top-1 accuracy (%)\n\n" + table(rows, ResultRow::accuracy)
                + "\n## ECE (%), raw\n\n" + table(rows, ResultRow::ece)
                + "\n## ECE (%), temperature-scaled on the ID held-out split\n\n" + table(rows, ResultRow::eceTs);
    }

    static String table(List<ResultRow> rows, ToDoubleFunction<ResultRow> metric) {
        Map<String, Map<String, ResultRow>> byMethod = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            byMethod.computeIfAbsent(r.method(), k -> new LinkedHashMap<>()).put(r.split(), r);
        }
        StringBuilder sb = new StringBuilder("| method |");
        COLUMNS.forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|---|");
        COLUMNS.forEach(c -> sb.append("---:|"));
        sb.append('\n');
        byMethod.forEach((method, cells) -> {
            sb.append("| ").append(method).append(" |");
            for (String c : COLUMNS) {
                ResultRow r = cells.get(c);
                sb.append(' ').append(r == null ? "–" : String.format(Locale.ROOT, "%.2f", 100 * metric.applyAsDouble(r)))
                        .append(" |");
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    static String csv(List<ResultRow> rows) {
        StringBuilder sb = new StringBuilder("method,split,n,accuracy,ece,ece_ts,temperature\n");
        for (ResultRow r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.6f,%.4f%n", r.method(), r.split(), r.n(),
                    r.accuracy(), r.ece(), r.eceTs(), r.temperature()));
        }
        return sb.toString();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
