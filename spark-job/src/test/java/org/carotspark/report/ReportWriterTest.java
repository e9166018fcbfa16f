package org.carotspark.report;

import org.carotspark.metrics.Metrics;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.Split;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    @Test
    void oodAverageIsTheMeanOfTheFiveNaturalShiftsAndTablesFollowThePaperLayout(@TempDir Path dir) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(new ResultRow("carot", "imagenet", 100, 0.8, 0.05, 0.03, 1.2));
        double[] acc = {0.7, 0.6, 0.5, 0.4, 0.3};
        for (int i = 0; i < 5; i++) {
            rows.add(new ResultRow("carot", Split.naturalShifts().get(i).configName(), 10, acc[i], 0.1 * (i + 1), 0.0, 1.2));
        }
        rows.add(new ResultRow("zeroshot", "imagenet", 100, 0.1, 0.2, 0.1, 0.9));
        List<ResultRow> all = ReportWriter.withOodAverage(rows);
        ResultRow avg = all.stream().filter(r -> r.split().equals(ReportWriter.OOD_AVG)).findFirst().orElseThrow();
        assertEquals(0.5, avg.accuracy(), 1e-12);
        assertEquals(0.3, avg.ece(), 1e-12);
        assertEquals(50, avg.n());
        assertEquals(1, all.stream().filter(r -> r.split().equals(ReportWriter.OOD_AVG)).count(),
                "zeroshot lacks the shifts, so it gets no average");

        ReportWriter.write(dir, all, Map.of("wall_seconds", 1.0));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(all.size(), json.get("results").size());
        assertEquals("carot", json.get("results").get(0).get("method").asText());
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| method | imagenet | imagenet-v2 | imagenet-r | imagenet-a | imagenet-sketch | objectnet"
                + " | ood-avg | imagenet-c |"), md);
        assertTrue(md.contains("| carot | 80.00 | 70.00 | 60.00 | 50.00 | 40.00 | 30.00 | 50.00 | – |"), md);
        assertTrue(md.contains("| zeroshot | 10.00 | – |"), md);
        assertEquals(all.size() + 1, Files.readAllLines(dir.resolve("report.csv")).size());
    }

    @Test
    void theReferencePerBatchEceIsInEveryRowTheAllMetricsTableAndATableOfItsOwn(@TempDir Path dir) throws Exception {
        Metrics raw = Metrics.accuracyAndEce(100, 0.8, 0.05).withEceReference(0.0712);
        Metrics scaled = Metrics.accuracyAndEce(100, 0.8, 0.03).withEceReference(0.0423);
        List<ResultRow> rows = List.of(new ResultRow("carot", "imagenet", null, null, 1.2, false, raw, scaled));
        ReportWriter.write(dir, rows, Map.of());
        JsonNode row = new ObjectMapper().readTree(dir.resolve("report.json").toFile()).get("results").get(0);
        assertEquals(0.0712, row.get("ece_reference").asDouble(), 0.0);
        assertEquals(0.0423, row.get("ece_reference_ts").asDouble(), 0.0);
        String md = Files.readString(dir.resolve("report.md"));
        int own = md.indexOf("## Table 3 layout: ECE (%) by the reference code's per-batch rule");
        assertTrue(own >= 0, md);
        assertTrue(md.substring(own).contains("| carot | 7.12 | – |"), md);
        int all = md.indexOf("## All metrics at T = 1");
        assertTrue(md.substring(all).contains("| ECE (equal mass) | ECE (reference) |"), md);
        assertTrue(Files.readAllLines(dir.resolve("report.csv")).get(0).contains("ece_reference"));
    }

    @Test
    void aFailedWriteIsOneLineAndLeavesThePreviousReportAndNoPartialFile(@TempDir Path dir) throws Exception {
        List<ResultRow> first = List.of(new ResultRow("carot", "imagenet", 100, 0.8, 0.05, 0.03, 1.2));
        ReportWriter.write(dir, first, Map.of());
        String before = Files.readString(dir.resolve("report.json"));
        // Something in the way of one temporary file: the write fails part-way.
        Files.createDirectories(dir.resolve("report.csv.tmp").resolve("blocker"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> ReportWriter.write(dir,
                List.of(new ResultRow("carot", "imagenet", 100, 0.9, 0.01, 0.01, 1.0)), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot write the report to "), e.getMessage());
        assertEquals(before, Files.readString(dir.resolve("report.json")), "the previous report is untouched");
        assertFalse(Files.exists(dir.resolve("report.json.tmp")) || Files.exists(dir.resolve("report.md.tmp")));
    }

    @Test
    void anOutputDirectoryThatIsAFileIsRefusedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("run"), "not a directory");
        UserFacingException e = assertThrows(UserFacingException.class, () -> ReportWriter.checkWritable(
                new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()));
        assertTrue(e.getMessage().contains("is a file, not a directory"), e.getMessage());
    }
}
