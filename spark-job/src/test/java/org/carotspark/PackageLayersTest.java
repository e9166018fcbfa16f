package org.carotspark;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Package arrows run one way: text ← model ← loss ← ema ← train ← report/pretrain ← eval ← job/bench/bounds, all
 * over the common module's packages. Checked on the compiled classes with the JDK's jdeps, so an
 * import hidden in a fully qualified name counts too.
 */
class PackageLayersTest {

    /** Layer of each package of this module; a class may depend on its own layer and lower ones only. */
    private static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("config", 0), Map.entry("data", 0), Map.entry("image", 0), Map.entry("seed", 0),
            Map.entry("sparkutil", 0), Map.entry("stage", 0),
            Map.entry("text", 1), Map.entry("model", 2), Map.entry("loss", 3), Map.entry("weights", 3),
            Map.entry("ema", 4),
            Map.entry("train", 5), Map.entry("report", 6), Map.entry("pretrain", 6), Map.entry("eval", 7),
            Map.entry("job", 8), Map.entry("bench", 8), Map.entry("bounds", 8));
    private static final Pattern EDGE = Pattern.compile(
            "^\\s*org\\.carotspark\\.(\\w+)\\.\\S+\\s+->\\s+org\\.carotspark\\.(\\w+)\\.\\S+");

    @Test
    void noPackageDependsOnAHigherOrSiblingTopLayer() {
        Path classes = Path.of("target", "classes");
        assertTrue(Files.isDirectory(classes), "run through Maven: needs " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                classes.toString());
        assertEquals(0, rc, out.toString());

        TreeSet<String> violations = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        int edges = 0;
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (!m.find()) {
                continue;
            }
            edges++;
            String from = m.group(1);
            String to = m.group(2);
            if (!LAYERS.containsKey(from) || !LAYERS.containsKey(to)) {
                unknown.add(from + " -> " + to);
                continue;
            }
            int a = LAYERS.get(from);
            int b = LAYERS.get(to);
            if (b > a || (a == 8 && b == 8 && !from.equals(to))) {
                violations.add(from + " -> " + to + ":  " + line.trim().replaceAll("\\s+", " "));
            }
        }
        assertTrue(edges > 100, "jdeps listed too few dependencies to be trusted:\n" + out);
        assertTrue(unknown.isEmpty(), "packages without a layer (add them to LAYERS): " + unknown);
        assertTrue(violations.isEmpty(), "upward dependencies:\n" + String.join("\n", violations));
    }
}
