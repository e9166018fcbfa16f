package org.carotspark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Package arrows run one way, in every module, so no two packages depend on each other. Inside a module a
 * package may use lower layers' packages only (packages of one layer do not use each other); across modules a
 * package may use common's packages only (data-prep is shipped with the job jar, never compiled against).
 * Checked on the compiled classes with the JDK's jdeps, so an import hidden in a fully qualified name counts
 * too. Sub-packages count as their top-level package ({@code train.exact} is {@code train}).
 */
class PackageLayersTest {

    /** Each module's packages, lowest layer first; the modules a module may use come before it. */
    private static final Map<String, List<List<String>>> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("common", List.of(
                List.of("config", "seed"),
                List.of("sparkutil", "image"),
                List.of("data", "stage")));
        LAYERS.put("data-prep", List.of(
                List.of("layout", "corrupt"),
                List.of("prep", "synth")));
        LAYERS.put("spark-job", List.of(
                List.of("text", "metrics"),
                List.of("model"),
                List.of("loss", "weights"),
                List.of("ema"),
                List.of("train"),
                List.of("report", "pretrain"),
                List.of("eval"),
                List.of("job", "bench", "bounds")));
    }

    private static final String BASE_MODULE = "common";
    private static final Pattern EDGE = Pattern.compile(
            "^\\s*org\\.carotspark\\.(\\w+)\\.\\S+\\s+->\\s+org\\.carotspark\\.(\\w+)\\.\\S+");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private record Place(String module, int layer) {
    }

    @Test
    void everyJavaModuleHasLayers() throws IOException {
        List<String> missing = new ArrayList<>();
        for (String module : modules()) {
            if (Files.isDirectory(root().resolve(module).resolve("src/main/java")) && !LAYERS.containsKey(module)) {
                missing.add(module);
            }
        }
        assertTrue(missing.isEmpty(), "modules with main code but no layers in PackageLayersTest: " + missing);
    }

    @Test
    void everyDependencyPointsToALowerLayerOrToCommon() throws IOException {
        Map<String, Place> places = new HashMap<>();
        LAYERS.forEach((module, layers) -> {
            for (int i = 0; i < layers.size(); i++) {
                for (String pkg : layers.get(i)) {
                    places.put(pkg, new Place(module, i));
                }
            }
        });
        TreeSet<String> violations = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String module : LAYERS.keySet()) {
            int edges = 0;
            for (String line : jdeps(module).split("\n")) {
                Matcher m = EDGE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                edges++;
                Place from = places.get(m.group(1));
                Place to = places.get(m.group(2));
                if (from == null || to == null || !from.module().equals(module)) {
                    unknown.add(module + ": " + m.group(1) + " -> " + m.group(2));
                    continue;
                }
                boolean allowed = from.module().equals(to.module())
                        ? to.layer() < from.layer() || m.group(1).equals(m.group(2))
                        : to.module().equals(BASE_MODULE);
                if (!allowed) {
                    violations.add(module + ": " + m.group(1) + " -> " + m.group(2) + ":  "
                            + line.trim().replaceAll("\\s+", " "));
                }
            }
            assertTrue(edges > 20, module + ": jdeps listed too few dependencies to be trusted");
        }
        assertTrue(unknown.isEmpty(), "packages without a layer in their module (add them to LAYERS): " + unknown);
        assertTrue(violations.isEmpty(), "upward, same-layer or cross-module dependencies:\n"
                + String.join("\n", violations));
    }

    /** jdeps' class-level dependencies of a module's compiled main classes. */
    private static String jdeps(String module) {
        Path classes = root().resolve(module).resolve("target/classes");
        assertTrue(Files.isDirectory(classes), "build the module first (run through Maven with -am): needs "
                + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:class", "-filter:none",
                classes.toString());
        assertEquals(0, rc, out.toString());
        return out.toString();
    }

    /** The parent pom's modules. */
    private static List<String> modules() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = MODULE.matcher(Files.readString(root().resolve("pom.xml")));
        while (m.find()) {
            out.add(m.group(1).strip());
        }
        assertTrue(out.contains(BASE_MODULE), "no modules read from the parent pom");
        return out;
    }

    /** The reactor root: surefire runs in the tests module's directory. */
    private static Path root() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
