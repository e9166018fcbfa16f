package org.carotspark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrateCommandTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        Path p = dir.resolve("predictions.jsonl");
        Files.write(p, java.util.List.of(lines));
        return p;
    }

    private static JsonNode run(String... args) throws Exception {
        return new ObjectMapper().readTree(CalibrateCommand.run(args));
    }

    @Test
    void knownAnswersAsTheDistributedMetricsComputeThem() throws Exception {
        Path p = file("{\"label\": 0, \"probs\": [0.7, 0.2, 0.1]}", "",
                "{\"label\": 1, \"probs\": [0.5, 0.3, 0.2]}");
        JsonNode out = run("--predictions", p.toString());
        assertEquals(2, out.get("n").asLong());
        assertEquals(0.5, out.get("accuracy").asDouble(), 0.0);
        assertEquals(1.0, out.get("top5_accuracy").asDouble(), 0.0);
        assertEquals(0.4, out.get("ece").asDouble(), 1e-15);
        assertEquals(10, out.get("ece_bins").asInt());
        assertEquals(0.5, out.get("mce").asDouble(), 1e-15);
        assertEquals((-Math.log(0.7) - Math.log(0.3)) / 2, out.get("nll").asDouble(), 1e-9);
        assertEquals(0.46, out.get("brier").asDouble(), 1e-15);
        assertEquals(11, out.get("bins").size(), "10 bins and the slot of exact ones");
        JsonNode bin7 = out.get("bins").get(7);
        assertEquals(1, bin7.get("count").asLong());
        assertEquals(0.7, bin7.get("mean_confidence").asDouble(), 1e-15);
        assertEquals(1.0, bin7.get("accuracy").asDouble(), 0.0);
        assertTrue(out.get("bins").get(0).get("accuracy").isNull(), "an empty bin's accuracy is null");
    }

    @Test
    void referenceEceTakesBatchesInFileOrderWithTenBinsWhateverBinsSays() throws Exception {
        // batches of 2: (0.7 right, 0.9 wrong) → 0.3 + 0.9; (0.7 wrong, 0.9 wrong) → 0.7 + 0.9; (1.2 + 1.6) / 4
        Path p = file("{\"label\": 0, \"probs\": [0.7, 0.3]}", "{\"label\": 0, \"probs\": [0.1, 0.9]}",
                "{\"label\": 1, \"probs\": [0.7, 0.3]}", "{\"label\": 0, \"probs\": [0.1, 0.9]}");
        JsonNode out = run("--predictions", p.toString(), "--reference-batch", "2", "--bins", "4");
        assertEquals(0.7, out.get("ece_reference").asDouble(), 1e-15);
        assertEquals(2, out.get("reference_batch").asInt());
        assertEquals(10, out.get("reference_bins").asInt());
        JsonNode whole = run("--predictions", p.toString());
        assertEquals(512, whole.get("reference_batch").asInt());
        // one batch holds every line: bin 9 |0 − 1.8|, bin 7 |1 − 1.4| → 2.2 / 4
        assertEquals(0.55, whole.get("ece_reference").asDouble(), 1e-15);
        UserFacingException e = assertThrows(UserFacingException.class, () -> CalibrateCommand.run(new String[] {
                "--predictions", p.toString(), "--reference-batch", "0"}));
        assertTrue(e.getMessage().contains("--reference-batch must be a positive integer"), e.getMessage());
    }

    @Test
    void logitsAreSoftmaxedAndBinsAreConfigurable() throws Exception {
        Path p = file("{\"label\": 1, \"logits\": [0.0, 1.0986122886681098]}");
        JsonNode out = run("--predictions", p.toString(), "--bins", "4");
        assertEquals(4, out.get("ece_bins").asInt());
        assertEquals(5, out.get("bins").size());
        assertEquals(0.25, out.get("ece").asDouble(), 1e-12);
        assertEquals(1, out.get("bins").get(3).get("count").asLong(), "0.75 sits on an edge: upper bin");
        assertTrue(out.get("ece_by_bins").has("10") && out.get("ece_by_bins").has("15"));
    }

    @Test
    void badLinesAreOneErrorNamingTheLine() throws Exception {
        String ok = "{\"label\": 0, \"probs\": [0.6, 0.4]}";
        assertMessage("line 2: not JSON", file(ok, "{label: 1"));
        assertMessage("line 2: \"label\" must be a non-negative integer", file(ok, "{\"label\": -1, \"probs\": [0.6, 0.4]}"));
        assertMessage("line 2: needs exactly one of", file(ok, "{\"label\": 1, \"probs\": [0.6, 0.4], \"logits\": [1, 2]}"));
        assertMessage("line 2: probs sum to", file(ok, "{\"label\": 1, \"probs\": [0.6, 0.6]}"));
        assertMessage("line 2: 3 classes, but earlier lines have 2", file(ok, "{\"label\": 1, \"probs\": [0.2, 0.2, 0.6]}"));
        assertMessage("line 3: label 2 outside the 2 classes", file(ok, "", "{\"label\": 2, \"logits\": [1, 2]}"));
        assertMessage("line 1: logits[1] is not a finite number", file("{\"label\": 0, \"logits\": [1, \"x\"]}"));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> CalibrateCommand.run(new String[] {"--predictions", dir.resolve("none").toString()}));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    private void assertMessage(String expected, Path p) {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> CalibrateCommand.run(new String[] {"--predictions", p.toString()}));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aBadFileExitsWithCodeTwoAndOneLine() throws Exception {
        Path p = file("{\"label\": 0, \"probs\": [0.6, 0.4]}", "not json");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = MainRunner.runForExitCode("calibrate", () -> CalibrateCommand.run(new String[] {"--predictions",
                    p.toString(), "--config", "../conf/local.conf", "-Dcarot.spark.master=local[2]"}));
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code);
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("line 2"), text);
    }

    @Test
    void float32ProbabilitiesSummingToOneWithinATenthOfAPercentAreAcceptedAndADirectoryIsAUserError()
            throws Exception {
        assertEquals(2, run("--predictions", file("{\"label\": 0, \"probs\": [0.6004, 0.4]}",
                "{\"label\": 1, \"probs\": [0.3, 0.6993]}").toString()).get("n").asInt());
        assertMessage("probs sum to", file("{\"label\": 0, \"probs\": [0.602, 0.4]}"));
        int code = MainRunner.runForExitCode("calibrate", () -> CalibrateCommand.run(new String[] {"--predictions",
                dir.toString()}), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(2, code, "a directory given as --predictions is the user's mistake");
    }
}
