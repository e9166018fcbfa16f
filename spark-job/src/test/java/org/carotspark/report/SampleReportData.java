package org.carotspark.report;

import org.carotspark.metrics.Metrics;
import org.carotspark.metrics.ReliabilityBin;
import org.carotspark.data.CorruptionNames;
import org.carotspark.data.Split;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** A deterministic, plausible report input: methods × every split, IN-C groups, spectra and settings. */
final class SampleReportData {

    static final List<String> METHODS = List.of("zeroshot", "flyp", "carot");

    private SampleReportData() {
    }

    static ReportData data() {
        Random r = new Random(5);
        List<ResultRow> rows = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        List<FeatureSpectrum> spectra = new ArrayList<>();
        for (int mi = 0; mi < METHODS.size(); mi++) {
            String method = METHODS.get(mi);
            double temperature = 0.8 + 0.3 * mi;
            for (String split : List.of("imagenet", "imagenet-v2", "imagenet-r", "imagenet-a", "imagenet-sketch",
                    "objectnet")) {
                double acc = 0.3 + 0.1 * mi + 0.2 * r.nextDouble();
                rows.add(new ResultRow(method, split, null, null, temperature, mi == 0,
                        metrics(r, 1000, acc, 0.15 - 0.04 * mi), metrics(r, 1000, acc, 0.04)));
            }
            List<ResultRow> groups = new ArrayList<>();
            for (String c : CorruptionNames.BENCHMARK) {
                for (int s = 1; s <= 5; s++) {
                    double acc = Math.max(0.02, 0.5 + 0.05 * mi - 0.07 * s - 0.1 * r.nextDouble());
                    groups.add(new ResultRow(method, Split.IMAGENET_C.configName(), c, s, temperature, mi == 0,
                            metrics(r, 50, acc, 0.1 + 0.02 * s), metrics(r, 50, acc, 0.05)));
                }
            }
            rows.add(new ResultRow(method, Split.IMAGENET_C.configName(), null, null, temperature, mi == 0,
                    Metrics.mean(groups.stream().map(ResultRow::raw).toList(), groups.get(0).raw().reliability()),
                    Metrics.mean(groups.stream().map(ResultRow::scaled).toList(), groups.get(0).scaled().reliability())));
            for (String c : CorruptionNames.BENCHMARK) {
                List<ResultRow> sev = groups.stream().filter(g -> g.corruption().equals(c)).toList();
                rows.add(new ResultRow(method, Split.IMAGENET_C.configName(), c, null, temperature, mi == 0,
                        Metrics.mean(sev.stream().map(ResultRow::raw).toList(), List.of()),
                        Metrics.mean(sev.stream().map(ResultRow::scaled).toList(), List.of())));
                rows.addAll(sev);
            }
            double[] sv = new double[20];
            for (int i = 0; i < sv.length; i++) {
                sv[i] = Math.pow(10, -3 + 0.12 * i + 0.5 * mi);
            }
            spectra.add(new FeatureSpectrum(method, Split.IMAGENET.configName(), sv));
            settings.put(method, mi == 2 ? "λ_OC = 0.2, λ_SD = 1.5" : "–");
        }
        return new ReportData(ReportWriter.withOodAverage(rows), spectra, settings);
    }

    /** Metrics with a reliability diagram whose bins are over-confident by about {@code gap}. */
    static Metrics metrics(Random r, long n, double accuracy, double gap) {
        List<ReliabilityBin> bins = new ArrayList<>();
        long left = n;
        for (int b = 0; b < 10; b++) {
            long count = b == 9 ? left : Math.min(left, (long) (n * (0.02 + 0.02 * b)));
            left -= count;
            double conf = (b + 0.5) / 10;
            bins.add(new ReliabilityBin(b / 10.0, (b + 1) / 10.0, count, count == 0 ? Double.NaN : conf,
                    count == 0 ? Double.NaN : Math.max(0, Math.min(1, conf - gap + 0.05 * r.nextGaussian()))));
        }
        bins.add(new ReliabilityBin(1, 1, 0, Double.NaN, Double.NaN));
        TreeMap<Integer, Double> ece = new TreeMap<>(Map.of(10, gap, 15, gap * 1.05));
        return new Metrics(n, accuracy, Math.min(1, accuracy + 0.2), gap, ece, gap * 0.9, gap * 2, 1.5 + gap,
                0.6 + gap, bins, gap / 10, gap * 1.2);
    }
}
