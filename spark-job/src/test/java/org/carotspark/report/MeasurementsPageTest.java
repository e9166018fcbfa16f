package org.carotspark.report;

import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeasurementsPageTest {

    private static final String BEGIN_BENCH = MeasurementsPage.beginMarker("bench");
    private static final String END_BENCH = MeasurementsPage.endMarker("bench");
    private static final String BEGIN_DEMO = MeasurementsPage.beginMarker("demo");
    private static final String END_DEMO = MeasurementsPage.endMarker("demo");

    @Test
    void replacesOnlyItsOwnSectionAndKeepsEveryOtherLine() {
        String page = "# Measurements\n\nkept by hand\n\n"
                + BEGIN_BENCH + "\nold bench\n| a | b |\n" + END_BENCH + "\n\nbetween\n\n"
                + BEGIN_DEMO + "\nold demo\n" + END_DEMO + "\n\n## By hand\nlast line\n";
        String expected = "# Measurements\n\nkept by hand\n\n"
                + BEGIN_BENCH + "\nold bench\n| a | b |\n" + END_BENCH + "\n\nbetween\n\n"
                + BEGIN_DEMO + "\nnew demo\nsecond line\n" + END_DEMO + "\n\n## By hand\nlast line\n";
        assertEquals(expected, MeasurementsPage.withSection(page, "demo", "new demo\nsecond line", "p.md"));
        assertEquals(expected, MeasurementsPage.withSection(page, "demo", "new demo\nsecond line\n", "p.md"),
                "a body's trailing newline is not doubled");
    }

    @Test
    void aMissingSectionIsAppendedAfterABlankLine() {
        assertEquals("# M\n\ntext\n\n" + BEGIN_BENCH + "\nrows\n" + END_BENCH + "\n",
                MeasurementsPage.withSection("# M\n\ntext\n", "bench", "rows", "p.md"));
    }

    @Test
    void rewritingASectionTwiceGivesTheSamePage() {
        String once = MeasurementsPage.withSection("# M\n", "bench", "rows", "p.md");
        assertEquals(once, MeasurementsPage.withSection(once, "bench", "rows", "p.md"));
    }

    @Test
    void malformedMarkersAreOneLineNamingThePageAndTheLines() {
        String beginOnly = "# M\n" + BEGIN_BENCH + "\nrows\n";
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> MeasurementsPage.withSection(beginOnly, "bench", "x", "docs/MEASUREMENTS.md"));
        assertEquals("docs/MEASUREMENTS.md: generated section \"bench\" needs one begin marker followed by one end"
                + " marker, found begin at line(s) [2] and end at line(s) none; fix or remove the markers (nothing was"
                + " written)", e.getMessage());

        String reversed = END_BENCH + "\nrows\n" + BEGIN_BENCH + "\n";
        assertTrue(assertThrows(UserFacingException.class,
                () -> MeasurementsPage.withSection(reversed, "bench", "x", "p.md")).getMessage()
                .contains("found begin at line(s) [3] and end at line(s) [1]"));

        String doubled = BEGIN_BENCH + "\n" + END_BENCH + "\n" + BEGIN_BENCH + "\n" + END_BENCH + "\n";
        assertThrows(UserFacingException.class, () -> MeasurementsPage.withSection(doubled, "bench", "x", "p.md"));

        String overlapping = BEGIN_BENCH + "\n" + BEGIN_DEMO + "\n" + END_BENCH + "\n" + END_DEMO + "\n";
        assertEquals("p.md: generated section \"bench\" (lines 1-3) holds a marker of section \"demo\" at line 2; fix"
                        + " the markers (nothing was written)",
                assertThrows(UserFacingException.class,
                        () -> MeasurementsPage.withSection(overlapping, "bench", "x", "p.md")).getMessage());
    }

    @Test
    void aMissingPageIsCreatedAndAnExistingOneKeepsItsOtherSections(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("docs/MEASUREMENTS.md");
        MeasurementsPage page = MeasurementsPage.at(file);
        page.check("bench");
        page.write("bench", "bench rows", new Configuration());
        String created = Files.readString(file);
        assertTrue(created.startsWith("# Measurements\n"), created);
        assertTrue(created.endsWith(BEGIN_BENCH + "\nbench rows\n" + END_BENCH + "\n"), created);

        page.write("demo", "demo line", new Configuration());
        page.write("bench", "new bench rows", new Configuration());
        assertEquals(created.replace("bench rows", "new bench rows") + "\n" + BEGIN_DEMO + "\ndemo line\n" + END_DEMO
                + "\n", Files.readString(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file or checksum left beside the page");
        }
    }

    @Test
    void aBadPageIsRefusedBeforeTheWorkAndLeftUntouched(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("MEASUREMENTS.md");
        String bad = "# M\n" + END_BENCH + "\n";
        Files.writeString(file, bad);
        var config = ConfigFactory.parseMap(Map.of(MeasurementsPage.KEY, file.toString()));
        assertThrows(UserFacingException.class, () -> MeasurementsPage.section(config, "bench"),
                "refused when the tool starts, before its work");
        MeasurementsPage.section(config, "demo").orElseThrow().write("demo line", new Configuration());
        assertThrows(UserFacingException.class, () -> MeasurementsPage.at(file).write("bench", "rows",
                new Configuration()));
        assertEquals(bad + "\n" + MeasurementsPage.beginMarker("demo") + "\ndemo line\n" + END_DEMO + "\n",
                Files.readString(file), "another section is still written; the bad one's lines stay as they were");
    }

    @Test
    void anEmptySettingWritesNothingAndARemoteOneIsRefused() throws IOException {
        assertTrue(MeasurementsPage.section(ConfigFactory.parseMap(Map.of(MeasurementsPage.KEY, "")), "bench")
                .isEmpty());
        assertTrue(MeasurementsPage.fromConfig(ConfigFactory.parseMap(Map.of(MeasurementsPage.KEY, "docs/M.md")))
                .orElseThrow().path().isAbsolute());
        assertThrows(UserFacingException.class, () -> MeasurementsPage.fromConfig(
                ConfigFactory.parseMap(Map.of(MeasurementsPage.KEY, "s3a://bucket/M.md"))));
    }

    /** The committed page's markers pair up for every tool, so no bench or demo run is refused for them. */
    @Test
    void theRepositorysPageHasWellFormedSectionsForEveryTool() throws IOException {
        Path committed = Path.of("..", "docs", "MEASUREMENTS.md");
        assertTrue(Files.isRegularFile(committed), "run through Maven from spark-job/: needs " + committed);
        String text = Files.readString(committed);
        for (String section : new String[] {"bench", "bench-single-jvm", "demo", "study"}) {
            assertTrue(text.contains(MeasurementsPage.beginMarker(section) + "\n"), section);
            MeasurementsPage.at(committed).check(section);
        }
    }

    @Test
    void durationsReadAsTheReadmeWritesThem() {
        assertEquals("59 s", MeasurementsPage.duration(59.4));
        assertEquals("8 min 38 s", MeasurementsPage.duration(518));
    }
}
