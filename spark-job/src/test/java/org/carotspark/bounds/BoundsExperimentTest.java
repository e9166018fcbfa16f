package org.carotspark.bounds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole job on a tiny grid in local[2]: outputs, row count and byte-identical reruns. */
class BoundsExperimentTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessionFactory.create(TestConfigs.with(TestConfigs.tinyGrid("unused")), "bounds-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void writesJsonMarkdownAndPlots_andRerunsIdentically(@TempDir Path dir) throws Exception {
        Config config = TestConfigs.with(TestConfigs.tinyGrid(dir.resolve("a").toString()));
        BoundsExperiment.Result result = BoundsExperiment.run(spark, config);

        // 8 models (see BoundsRunTest) × 2 shifts
        assertEquals(16, result.rows().size());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("a/bounds.json").toFile());
        assertEquals(16, json.get("rows").size());
        JsonNode row = json.get("rows").get(0);
        for (String field : new String[] {"variant", "lambdaOc", "lambdaSd", "seed", "shift", "idSigmaMin", "idEce",
                                          "oodMse", "oodEce", "rhs"}) {
            assertTrue(row.has(field), "row has " + field);
        }
        Set<String> variants = StreamSupport.stream(json.get("rows").spliterator(), false)
                .map(r -> r.get("variant").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("plain", "sv", "sd", "both"), variants);
        assertTrue(json.get("rhsFormula").asText().contains("sigma_min"));

        String md = Files.readString(dir.resolve("a/bounds.md"));
        assertTrue(md.contains("| Method | strength | ID σ_min ↑ | ID ECE ↓ | OOD MSE ↓ | OOD ECE ↓ |"), md);
        for (Variant v : Variant.values()) {
            assertTrue(md.contains("| " + v.label() + " |"), v.label());
        }
        assertEquals(3, result.summary().findingList().size());
        assertNotNull(ImageIO.read(dir.resolve("a/" + BoundsExperiment.PLOT_MSE).toFile()));
        assertNotNull(ImageIO.read(dir.resolve("a/" + BoundsExperiment.PLOT_ECE).toFile()));

        // same config, other output dir: identical bounds.json
        BoundsExperiment.run(spark, TestConfigs.with(TestConfigs.tinyGrid(dir.resolve("b").toString())
                + "\ncarot.bounds.partitions = 3"));
        String a = Files.readString(dir.resolve("a/bounds.json"));
        String b = Files.readString(dir.resolve("b/bounds.json"))
                .replace("\"partitions\" : 3", "\"partitions\" : 0")
                .replace(dir.resolve("b").toString(), dir.resolve("a").toString());
        assertEquals(a, b);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/" + BoundsExperiment.PLOT_MSE)),
                Files.readAllBytes(dir.resolve("b/" + BoundsExperiment.PLOT_MSE)));
    }

    @Test
    void badSettingsAreUserErrors() {
        assertThrows(UserFacingException.class, () -> BoundsSettings.from(
                TestConfigs.with("carot.bounds.model.loss = hinge")));
        assertThrows(UserFacingException.class, () -> BoundsSettings.from(
                TestConfigs.with("carot.bounds.seeds = []")));
        assertThrows(UserFacingException.class, () -> BoundsSettings.from(
                TestConfigs.with("carot.bounds.regularizers { both-grid = zip, oc-strengths = [1], sd-strengths = [1, 2] }")));
    }
}
