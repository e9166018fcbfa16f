package org.carotspark.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CarotConfigLoaderTest {

    @Test
    void overridesBeatTheFileWhichBeatsReferenceAndSubstitutionsFollow(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.conf");
        Files.writeString(file, "carot.data.raw-root = \"/from/file\"\ncarot.spark.app-name = \"from-file\"\n");
        Config c = CarotConfigLoader.load(new String[] {"--config", file.toString(), "-Dcarot.spark.app-name=from-cli"});
        assertEquals("from-cli", c.getString("carot.spark.app-name"));
        assertEquals("/from/file", c.getString("carot.data.raw-root"));
        assertTrue(c.getString("carot.data.metadata.synsets").startsWith("/from/file/"),
                "reference defaults built from raw-root follow the override");
        Config positional = CarotConfigLoader.load(new String[] {file.toString()});
        assertEquals("from-file", positional.getString("carot.spark.app-name"));
    }

    @Test
    void listValuesParseAndUrisStayIntact() {
        Config c = CarotConfigLoader.load(new String[] {"-Dcarot.some.list=[contrast, pixelate]",
                "-Dcarot.data.raw-root=s3a://bucket/raw//x"});
        assertEquals(List.of("contrast", "pixelate"), c.getStringList("carot.some.list"));
        assertEquals("s3a://bucket/raw//x", c.getString("carot.data.raw-root"));
    }

    @Test
    void badCommandLinesAreOneLineUserErrors() {
        assertThrows(UserFacingException.class, () -> CarotConfigLoader.load(new String[] {"--bogus"}));
        assertThrows(UserFacingException.class, () -> CarotConfigLoader.load(new String[] {"-D=1"}));
        assertThrows(UserFacingException.class, () -> CarotConfigLoader.load(new String[] {"-Dcarot.x=[1,"}));
        UserFacingException missing = assertThrows(UserFacingException.class,
                () -> CarotConfigLoader.load(new String[] {"--config", "/no/such.conf"}));
        assertTrue(missing.getMessage().contains("/no/such.conf"));
    }

    @Test
    void secretsAreMaskedInTheRenderedConfig() {
        Config c = CarotConfigLoader.load(new String[] {"-Dcarot.s3.access-key=AKIAEXAMPLE",
                "-Dcarot.s3.secret-key=wJalrXUtnFEMI/K7MDENG"});
        String rendered = ConfigRedaction.render(c);
        assertFalse(rendered.contains("AKIAEXAMPLE") || rendered.contains("wJalrXUtnFEMI"), rendered);
        assertTrue(rendered.contains(ConfigRedaction.MASK));
        assertTrue(rendered.contains("raw-root"), "non-secret settings are still shown");
    }

    @Test
    void mainRunnerTurnsUserAndConfigErrorsIntoExitCodeTwo() {
        assertEquals(2, MainRunner.runForExitCode("t", () -> {
            throw new UserFacingException("bad input");
        }));
        assertEquals(2, MainRunner.runForExitCode("t", () -> CarotConfigLoader.load(
                new String[] {"-Dcarot.s3.ssl-enabled=maybe"}).getBoolean("carot.s3.ssl-enabled")));
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(1, MainRunner.runForExitCode("t", () -> {
            throw new IllegalStateException("bug");
        }, new java.io.PrintStream(err, true)));
        String line = err.toString();
        java.util.regex.Matcher trace = java.util.regex.Pattern.compile("stack trace in (.*)\\)").matcher(line);
        assertTrue(trace.find(), line);
        assertTrue(new java.io.File(trace.group(1)).delete());
        assertEquals(0, MainRunner.runForExitCode("t", () -> { }));
    }
}
