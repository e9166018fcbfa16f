package org.carotspark.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report rendered from sample data: flat JSON rows, the paper's table layouts, a self-contained page. */
class ReportHtmlTest {

    @Test
    void jsonRowsAreFlatWithEveryMetricRawAndTemperatureScaled(@TempDir Path dir) throws Exception {
        ReportData data = SampleReportData.data();
        ReportWriter.write(dir, data, Map.of("wall_seconds", 12.0));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode results = json.get("results");
        assertEquals(data.rows().size(), results.size());
        // per method: 6 splits + IN-C total + 15 corruptions + 75 groups + ood-avg
        assertEquals(3 * (6 + 1 + 15 + 75 + 1), results.size());
        JsonNode group = null;
        for (JsonNode r : results) {
            assertTrue(r.isObject());
            r.fields().forEachRemaining(f -> assertTrue(f.getValue().isValueNode(), "flat: " + f.getKey()));
            if ("fog".equals(r.get("corruption").asText(null)) && r.get("severity").asInt() == 3) {
                group = r;
            }
        }
        assertNotNull(group);
        for (String key : List.of("method", "split", "corruption", "severity", "n", "temperature",
                "temperature_at_grid_edge", "accuracy", "top5_accuracy", "ece", "ece_10", "ece_15", "ece_adaptive",
                "mce", "nll", "brier", "accuracy_ts", "ece_ts", "ece_10_ts", "ece_15_ts", "ece_adaptive_ts", "mce_ts",
                "nll_ts", "brier_ts")) {
            assertTrue(group.has(key), key);
        }
        assertTrue(json.get("reliability").size() > 0);
        assertEquals(11, json.get("reliability").get(0).get("bins").size());
        assertEquals(3, json.get("spectra").size());
        assertEquals(20, json.get("spectra").get(0).get("smallest_singular_values").size());
        List<String> csv = Files.readAllLines(dir.resolve("report.csv"));
        assertEquals(results.size() + 1, csv.size());
        assertTrue(csv.get(0).startsWith("method,split,corruption,severity,n,temperature,"), csv.get(0));
    }

    @Test
    void markdownHasThePaperLayouts(@TempDir Path dir) throws Exception {
        String md = ReportWriter.markdown(SampleReportData.data());
        assertTrue(md.contains("## Table 2 layout: top-1 accuracy (%)"), md);
        assertTrue(md.contains("| method | imagenet | imagenet-v2 | imagenet-r | imagenet-a | imagenet-sketch | objectnet"
                + " | ood-avg | imagenet-c | σ_min |"), md);
        assertTrue(md.contains("## Table 3 layout: ECE (%), raw"), md);
        assertTrue(md.contains("## Table 3 layout: ECE (%), temperature-scaled on the ID held-out split"), md);
        assertTrue(md.contains("| method | setting | ID acc | ID ECE | ID ECE (TS) | OOD acc | OOD ECE | OOD ECE (TS)"
                + " | σ_min |"), md);
        assertTrue(md.contains("| carot | λ_OC = 0.2, λ_SD = 1.5 |"), md);
        assertTrue(md.contains("| method | gaussian_noise | shot_noise | impulse_noise | defocus_blur"), md);
        assertTrue(md.contains("| zeroshot | yes: the optimum lies beyond the widened grid | 0.8000 |"), md);
        assertTrue(md.contains("ECE_10 | ECE_15 | ECE s.e. | ECE (equal mass) | ECE (reference) | MCE | NLL | Brier |"),
                md);
        assertTrue(md.contains("## Table 3 layout: ECE (%) by the reference code's per-batch rule"), md);
    }

    @Test
    void htmlIsOneSelfContainedPageWithTablesAndDecodablePlots(@TempDir Path dir) throws Exception {
        ReportWriter.write(dir, SampleReportData.data(), Map.of());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.strip().endsWith("</html>"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "no external resources, no scripts");
        assertEquals(count(html, "<table>"), count(html, "</table>"));
        assertTrue(count(html, "<table>") >= 10, "tables: " + count(html, "<table>"));
        Matcher m = Pattern.compile("<img alt=\"([^\"]*)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">").matcher(html);
        List<String> alts = new ArrayList<>();
        while (m.find()) {
            alts.add(m.group(1));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(2))));
            assertNotNull(img, "embedded PNG decodes: " + m.group(1));
        }
        assertEquals(count(html, "<img"), alts.size(), "every image is an embedded PNG");
        // 3 methods × 7 split totals (6 + IN-C) × {raw, TS} reliability diagrams, 3 IN-C charts, 1 spectrum
        assertEquals(3 * 7 * 2 + 3 + 1, alts.size(), alts.toString());
        assertTrue(alts.contains("reliability diagram: carot on objectnet (TS)"), alts.toString());
        assertTrue(alts.contains("IN-C accuracy per corruption per method"));
        assertTrue(alts.contains("feature spectrum per method"));
    }

    /**
     * The page as a browser draws it: headless Chromium's screenshot is mostly non-white. Skipped when
     * Chromium is not installed (apt-get install chromium); the screenshot is left in the temp dir.
     */
    @Test
    void headlessChromiumRendersThePage(@TempDir Path dir) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium), "skipped: no " + chromium);
        ReportWriter.write(dir, SampleReportData.data(), Map.of());
        Path shot = dir.resolve("report.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--screenshot=" + shot,
                "--window-size=1400,3000", dir.resolve("report.html").toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img, Files.readString(dir.resolve("chromium.log")));
        int nonWhite = 0;
        int samples = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) {
                samples++;
                nonWhite += (img.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        assertTrue(nonWhite > samples / 20, "rendered content: " + nonWhite + " of " + samples);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
