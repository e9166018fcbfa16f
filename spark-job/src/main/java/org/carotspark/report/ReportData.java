package org.carotspark.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a report is rendered from: the flat result rows (their metrics carry the reliability
 * bins), the feature spectra per method, and an optional description of each method's settings
 * (e.g. "λ_OC = 0.2, λ_SD = 1.5") shown in the ablation table.
 */
public record ReportData(List<ResultRow> rows, List<FeatureSpectrum> spectra, Map<String, String> methodSettings) {

    public ReportData {
        rows = List.copyOf(rows);
        spectra = List.copyOf(spectra);
        methodSettings = new LinkedHashMap<>(methodSettings);
    }

    public static ReportData of(List<ResultRow> rows) {
        return new ReportData(rows, List.of(), Map.of());
    }

    /** Methods in the order they first appear in the rows. */
    public List<String> methods() {
        return rows.stream().map(ResultRow::method).distinct().toList();
    }

    /** σ_min of a method's ID features, NaN when its spectrum is absent. */
    public double sigmaMin(String method) {
        return spectra.stream().filter(s -> s.method().equals(method)).mapToDouble(FeatureSpectrum::sigmaMin)
                .findFirst().orElse(Double.NaN);
    }
}
