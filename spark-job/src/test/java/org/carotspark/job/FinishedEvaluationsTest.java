package org.carotspark.job;

import org.carotspark.config.SettingsFingerprint;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DataVersion;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ResultRow;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FinishedEvaluationsTest {

    @Test
    void aFinishedMethodsRowsComeBackForTheSameSettingsOnly(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = List.of(new ResultRow("carot", "imagenet", 150, 0.25, 0.04, 0.03, 1.2),
                new ResultRow("carot", "imagenet-r", 80, 0.2, 0.1, 0.07, 1.2));
        FinishedEvaluations a = new FinishedEvaluations(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "cfg-a");
        assertNull(a.load("carot"), "nothing finished yet");
        List<FeatureSpectrum> spectra = List.of(new FeatureSpectrum("carot", "imagenet", new double[] {0.008, 0.02}));
        a.save("carot", new FinishedEvaluations.Finished(rows, spectra, "CaRot(λ_OC 0.2)"));
        FinishedEvaluations.Finished back = a.load("carot");
        assertEquals(rows, back.rows());
        assertEquals(0.008, back.spectra().get(0).sigmaMin(), 0.0, "σ_min comes back with the rows");
        assertEquals("imagenet", back.spectra().get(0).split());
        assertEquals("CaRot(λ_OC 0.2)", back.setting());
        assertNull(a.load("flyp"));
        assertNull(new FinishedEvaluations(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "cfg-b")
                .load("carot"), "other settings: evaluate again");
        Files.writeString(dir.resolve("carot").resolve(FinishedEvaluations.FILE), "{not json");
        assertNull(a.load("carot"), "an unreadable file means evaluating again");
        assertNull(new FinishedEvaluations("", LocalSpark.jsc().hadoopConfiguration(), "cfg-a").load("carot"));
    }

    @Test
    void rowsOfAnotherPrepVersionAreRefusedUnlessAskedToRunAgainAndTheRunSectionComesBack(@TempDir Path dir) {
        SettingsFingerprint settings = SettingsFingerprint.of(Map.of("carot.eval.ece-bins", "[10]"));
        List<ResultRow> rows = List.of(new ResultRow("carot", "imagenet", 150, 0.25, 0.04, 0.03, 1.2));
        Map<String, Object> run = Map.of("carot", Map.of("steps", 12, "resumed_from_step", 0));
        new FinishedEvaluations(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), settings,
                new DataVersion("v1", "c1"), false)
                .save("carot", new FinishedEvaluations.Finished(rows, List.of(), null, run));
        FinishedEvaluations.Finished same = new FinishedEvaluations(dir.toString(),
                LocalSpark.jsc().hadoopConfiguration(), settings, new DataVersion("v1", "c1"), false).load("carot");
        assertEquals(rows, same.rows());
        assertEquals(Map.of("steps", 12, "resumed_from_step", 0), same.run().get("carot"),
                "a skipped method still reports its training in the run section");

        UserFacingException e = assertThrows(UserFacingException.class, () -> new FinishedEvaluations(dir.toString(),
                LocalSpark.jsc().hadoopConfiguration(), settings, new DataVersion("v2", "c2"), false).load("carot"));
        assertTrue(e.getMessage().contains("v1") && e.getMessage().contains("v2")
                && e.getMessage().contains("restart-on-prep-change"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertNull(new FinishedEvaluations(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), settings,
                new DataVersion("v2", "c2"), true)
                .load("carot"), "with the key the method runs again on the new data");
    }
}
