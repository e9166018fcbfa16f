package org.carotspark.job;

import com.typesafe.config.ConfigFactory;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ReportData;
import org.carotspark.report.ResultRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudySummaryTest {

    private static final List<String> SHIFTS = List.of("imagenet-v2", "imagenet-r", "imagenet-a", "imagenet-sketch",
            "objectnet");

    /** One seed's run: each method's ID accuracy and ECE, every shift at the given OOD accuracy and ECE, σ_min. */
    private static ReportData run(double[][] perMethod) {
        String[] methods = {"zeroshot", "flyp", "carot"};
        List<ResultRow> rows = new ArrayList<>();
        List<FeatureSpectrum> spectra = new ArrayList<>();
        for (int m = 0; m < methods.length; m++) {
            double[] v = perMethod[m];
            rows.add(new ResultRow(methods[m], "imagenet", 500, v[0], v[1], v[1], 1.0));
            for (String s : SHIFTS) {
                rows.add(new ResultRow(methods[m], s, 300, v[2], v[3], v[3], 1.0));
            }
            spectra.add(new FeatureSpectrum(methods[m], "imagenet", new double[] {v[4], 1.0}));
        }
        return new ReportData(rows, spectra, Map.of());
    }

    @Test
    void meansStandardDeviationsAndVerdictsFromTheSeedsRuns() {
        // {ID acc, ID ECE, OOD acc, OOD ECE, σ_min} for zeroshot, flyp, carot
        ReportData seed0 = run(new double[][] {{0.50, 0.05, 0.40, 0.06, 0.010}, {0.80, 0.10, 0.45, 0.20, 0.005},
                {0.78, 0.04, 0.46, 0.08, 0.012}});
        ReportData seed1 = run(new double[][] {{0.50, 0.05, 0.40, 0.06, 0.010}, {0.82, 0.12, 0.47, 0.22, 0.007},
                {0.80, 0.06, 0.44, 0.10, 0.006}});
        StudySummary s = new StudySummary(List.of(seed0, seed1));
        String table = s.table();
        assertTrue(table.contains("| flyp | 81.00 ± 1.41 | 11.00 ± 1.41 | 46.00 ± 1.41 | 21.00 ± 1.41 | 0.0060 ± 0.0014 |"),
                table);
        List<String> v = s.verdicts();
        assertEquals("CaRot OOD ECE < FLYP OOD ECE: holds (carot 9.00 ± 1.41 vs flyp 21.00 ± 1.41; in 2 of 2 seeds)",
                v.get(0));
        assertEquals("CaRot OOD accuracy ≥ FLYP OOD accuracy: holds (carot 45.00 ± 1.41 vs flyp 46.00 ± 1.41;"
                .replace("holds", "does not hold") + " in 1 of 2 seeds)", v.get(1));
        assertEquals("fine-tuning raises ID accuracy over zero-shot: holds (zeroshot 50.00 %; flyp 81.00, carot 79.00)",
                v.get(2));
        assertTrue(v.get(3).startsWith("σ_min of the ID image features is larger with L_OC (CaRot vs FLYP): holds"
                + " (carot 0.0090 ± 0.0042 vs flyp 0.0060 ± 0.0014; in 1 of 2 seeds)"), v.get(3));
    }

    @Test
    void aMissingMethodIsNotEvaluatedRatherThanJudged() {
        ReportData only = ReportData.of(List.of(new ResultRow("zeroshot", "imagenet", 10, 0.5, 0.1, 0.1, 1.0)));
        List<String> v = new StudySummary(List.of(only)).verdicts();
        assertTrue(v.get(0).endsWith("not evaluated (needs carot and flyp with OOD ECE (%))"), v.get(0));
        assertTrue(v.get(2).contains("not evaluated"), v.get(2));
    }

    /** Run i moves every fine-tuning seed by i and writes under its own directory; run 0 is the configured run. */
    @Test
    void eachRunMovesTheFineTuningSeeds() {
        var base = ConfigFactory.parseMap(Map.of("carot.study.output-dir", "out/study", "carot.output-dir", "out/run",
                "carot.train.shuffle-seed", 17, "carot.train.caption-seed", 23, "carot.train.crop-seed", 29,
                "carot.train.checkpoint-dir", "out/run/checkpoints"));
        var second = StudyStage.runConfig(base, 1);
        assertEquals(18, second.getLong("carot.train.shuffle-seed"));
        assertEquals(24, second.getLong("carot.train.caption-seed"));
        assertEquals(30, second.getLong("carot.train.crop-seed"));
        assertEquals("out/study/seed-1", second.getString("carot.output-dir"));
        assertEquals("out/study/seed-1/checkpoints", second.getString("carot.train.checkpoint-dir"));
        assertEquals(17, StudyStage.runConfig(base, 0).getLong("carot.train.shuffle-seed"));
    }
}
