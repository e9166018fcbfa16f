package org.carotspark.job;

import org.carotspark.data.Split;
import org.carotspark.report.ReportData;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A study's result: each method's ID and OOD-average accuracy and ECE and its σ_min as mean ± standard deviation
 * over the seeds' runs, and one verdict line per claim of the paper, said to hold or not from the means with the
 * numbers beside it and how many seeds agree. A method or value a run lacks makes its claim "not evaluated".
 */
public final class StudySummary {

    /** One quantity over seeds. */
    record Spread(double[] perSeed) {
        double mean() {
            double s = 0;
            for (double v : perSeed) {
                s += v;
            }
            return s / perSeed.length;
        }

        /** Sample standard deviation (0 for one seed). */
        double std() {
            if (perSeed.length < 2) {
                return 0;
            }
            double m = mean();
            double s = 0;
            for (double v : perSeed) {
                s += (v - m) * (v - m);
            }
            return Math.sqrt(s / (perSeed.length - 1));
        }

        boolean complete() {
            for (double v : perSeed) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return perSeed.length > 0;
        }
    }

    /** The columns of the study table. */
    enum Quantity {
        ID_ACC("ID acc (%)", true), ID_ECE("ID ECE (%)", true), OOD_ACC("OOD acc (%)", true),
        OOD_ECE("OOD ECE (%)", true), SIGMA_MIN("σ_min", false);

        final String header;
        final boolean percent;

        Quantity(String header, boolean percent) {
            this.header = header;
            this.percent = percent;
        }
    }

    private final List<String> methods;
    private final int seeds;
    private final Map<String, Map<Quantity, Spread>> values = new LinkedHashMap<>();

    public StudySummary(List<ReportData> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one run");
        }
        this.seeds = runs.size();
        this.methods = runs.get(0).methods();
        List<List<ResultRow>> rows = runs.stream().map(r -> ReportWriter.withOodAverage(r.rows())).toList();
        for (String method : methods) {
            Map<Quantity, Spread> q = new LinkedHashMap<>();
            q.put(Quantity.ID_ACC, spread(rows, method, Split.IMAGENET.configName(), ResultRow::accuracy));
            q.put(Quantity.ID_ECE, spread(rows, method, Split.IMAGENET.configName(), ResultRow::ece));
            q.put(Quantity.OOD_ACC, spread(rows, method, ReportWriter.OOD_AVG, ResultRow::accuracy));
            q.put(Quantity.OOD_ECE, spread(rows, method, ReportWriter.OOD_AVG, ResultRow::ece));
            q.put(Quantity.SIGMA_MIN, new Spread(runs.stream().mapToDouble(r -> r.sigmaMin(method)).toArray()));
            values.put(method, q);
        }
    }

    private static Spread spread(List<List<ResultRow>> runs, String method, String split,
                                 ToDoubleFunction<ResultRow> metric) {
        return new Spread(runs.stream().mapToDouble(rows -> rows.stream()
                .filter(r -> r.method().equals(method) && r.split().equals(split) && r.isSplitTotal())
                .mapToDouble(metric).findFirst().orElse(Double.NaN)).toArray());
    }

    Spread value(String method, Quantity q) {
        Map<Quantity, Spread> m = values.get(method);
        return m == null ? new Spread(new double[0]) : m.get(q);
    }

    /** The table: methods × quantities, mean ± std over the seeds. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "StudyStage over %d seed(s): mean ± std (pretraining fixed, fine-tuning seeds varied); OOD = mean over"
                        + " ImageNet-V2, -R, -A, -Sketch and ObjectNet%n%n| method |", seeds));
        for (Quantity q : Quantity.values()) {
            sb.append(' ').append(q.header).append(" |");
        }
        sb.append("\n|---|").append("---:|".repeat(Quantity.values().length)).append('\n');
        for (String method : methods) {
            sb.append("| ").append(method).append(" |");
            for (Quantity q : Quantity.values()) {
                sb.append(' ').append(format(value(method, q), q)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String format(Spread s, Quantity q) {
        if (!s.complete()) {
            return "—";
        }
        double scale = q.percent ? 100 : 1;
        String f = q.percent ? "%.2f ± %.2f" : "%.4f ± %.4f";
        return String.format(Locale.ROOT, f, scale * s.mean(), scale * s.std());
    }

    /** One line per claim: "holds" or "does not hold", with the means and how many seeds agree. */
    public List<String> verdicts() {
        List<String> out = new ArrayList<>();
        out.add(compare("CaRot OOD ECE < FLYP OOD ECE", "carot", "flyp", Quantity.OOD_ECE, -1));
        out.add(compare("CaRot OOD accuracy ≥ FLYP OOD accuracy", "carot", "flyp", Quantity.OOD_ACC, 0));
        List<String> tuned = methods.stream().filter(m -> !m.equals("zeroshot") && !m.startsWith("wise-ft")).toList();
        if (!values.containsKey("zeroshot") || tuned.isEmpty()) {
            out.add("fine-tuning raises ID accuracy over zero-shot: not evaluated (needs zeroshot and a fine-tuned"
                    + " method)");
        } else {
            List<String> parts = new ArrayList<>();
            boolean all = true;
            for (String m : tuned) {
                Spread s = value(m, Quantity.ID_ACC);
                Spread z = value("zeroshot", Quantity.ID_ACC);
                boolean raises = s.complete() && z.complete() && s.mean() > z.mean();
                all &= raises;
                parts.add(String.format(Locale.ROOT, "%s %.2f%s", m, 100 * s.mean(), raises ? "" : " (no)"));
            }
            out.add(String.format(Locale.ROOT, "fine-tuning raises ID accuracy over zero-shot: %s (zeroshot %.2f %%; %s)",
                    all ? "holds" : "does not hold", 100 * value("zeroshot", Quantity.ID_ACC).mean(),
                    String.join(", ", parts)));
        }
        out.add(compare("σ_min of the ID image features is larger with L_OC (CaRot vs FLYP)", "carot", "flyp",
                Quantity.SIGMA_MIN, 1));
        return out;
    }

    /** {@code direction}: −1 = a below b, 0 = a at least b, 1 = a above b. */
    private String compare(String claim, String a, String b, Quantity q, int direction) {
        Spread x = value(a, q);
        Spread y = value(b, q);
        if (!x.complete() || !y.complete()) {
            return claim + ": not evaluated (needs " + a + " and " + b + " with " + q.header + ")";
        }
        int agree = 0;
        for (int i = 0; i < x.perSeed().length; i++) {
            agree += satisfies(x.perSeed()[i], y.perSeed()[i], direction) ? 1 : 0;
        }
        boolean holds = satisfies(x.mean(), y.mean(), direction);
        return String.format(Locale.ROOT, "%s: %s (%s %s vs %s %s; in %d of %d seeds)", claim,
                holds ? "holds" : "does not hold", a, format(x, q), b, format(y, q), agree, x.perSeed().length);
    }

    private static boolean satisfies(double a, double b, int direction) {
        return direction < 0 ? a < b : direction > 0 ? a > b : a >= b;
    }
}
