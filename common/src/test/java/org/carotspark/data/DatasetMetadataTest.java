package org.carotspark.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DatasetMetadataTest {

    /** The real published metadata files, or a skipped test when the shared folder is absent. */
    public static Path sharedImagenet() {
        String dir = System.getProperty("carot.shared.dir", "../../shared");
        Path p = Paths.get(dir, "imagenet");
        Assumptions.assumeTrue(Files.isRegularFile(p.resolve("objectnet_to_imagenet_1k.json")),
                "skipped: real ImageNet metadata not found at " + p.toAbsolutePath()
                        + " (set -Dcarot.shared.dir to the shared folder)");
        return p;
    }

    public static Config config(Map<String, Object> metadata) {
        Map<String, Object> m = new HashMap<>();
        metadata.forEach((k, v) -> m.put("carot.data.metadata." + k, v));
        return ConfigFactory.parseMap(m).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    }

    /** A 1000-class synset file in the ILSVRC format (the real one is not among the shared files). */
    public static Path thousandSynsets(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add(String.format("n%08d class %d, synonym", 1000000 + i, i));
        }
        Path p = dir.resolve("LOC_synset_mapping.txt");
        Files.write(p, lines);
        return p;
    }

    @Test
    void realPublishedFilesResolveObjectNetThroughItsOwnChain(@TempDir Path tmp) throws Exception {
        Path shared = sharedImagenet();
        DatasetMetadata m = DatasetMetadata.load(config(Map.of(
                "synsets", thousandSynsets(tmp).toString(),
                "classnames", shared.resolve("openai_classnames.txt").toUri().toString(), // file:// URI
                "templates", shared.resolve("openai_imagenet_templates.txt").toString(),
                "imagenet-r-indices", shared.resolve("imagenet_r_class_indices.txt").toString(),
                "imagenet-a-indices", shared.resolve("imagenet_a_class_indices.txt").toString(),
                "objectnet-mappings", shared.toString())));
        assertEquals(1000, m.numClasses());
        assertEquals("tench", m.classNames().get(0));
        assertEquals(80, m.templates().size());
        assertTrue(m.templates().stream().allMatch(t -> t.contains("{}")));
        assertEquals(200, m.imagenetRSubset().length);
        assertEquals(1, m.imagenetRSubset()[0]);
        assertEquals(200, m.imagenetASubset().length);
        assertEquals(6, m.imagenetASubset()[0]);

        assertEquals(113, m.objectNetClasses().size());
        List<String> sorted = new ArrayList<>(m.objectNetClasses());
        sorted.sort(null);
        assertEquals(sorted, m.objectNetClasses());
        int[][] map = m.objectNetToImagenet();
        assertArrayEquals(new int[]{409, 530}, map[m.objectNetClasses().indexOf("Alarm clock")]); // analog, digital
        assertArrayEquals(new int[]{444, 671}, map[m.objectNetClasses().indexOf("Bicycle")]); // tandem, mountain bike
        assertArrayEquals(new int[]{954}, map[m.objectNetClasses().indexOf("Banana")]);
        int total = 0;
        int multi = 0;
        for (int[] row : map) {
            total += row.length;
            multi += row.length > 1 ? 1 : 0;
        }
        assertEquals(125, total);
        assertEquals(9, multi);
        // 313 folders, of which those whose label maps to ImageNet are labelled.
        assertEquals(113, m.objectNetFolderToClass().size());
        assertEquals(m.objectNetClasses().indexOf("Alarm clock"), m.objectNetFolderToClass().get("alarm_clock"));
        assertFalse(m.objectNetFolderToClass().containsKey("squeegee"));
    }

    @Test
    void missingAndMalformedFilesAreOneLineUserErrors(@TempDir Path tmp) throws Exception {
        Path synsets = tmp.resolve("synsets.txt");
        Files.writeString(synsets, "n00000001 a thing\nn00000002 another\n");
        UserFacingException missing = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(Map.of(
                "synsets", tmp.resolve("absent.txt").toString(), "classnames", "", "templates", "",
                "imagenet-r-indices", "", "imagenet-a-indices", "", "objectnet-mappings", ""))));
        assertTrue(missing.getMessage().contains("carot.data.metadata.synsets")
                && missing.getMessage().contains("absent.txt") && missing.getMessage().contains("not found"),
                missing.getMessage());

        Path badSubset = tmp.resolve("r.txt");
        Files.writeString(badSubset, "0\nseven\n");
        UserFacingException bad = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(Map.of(
                "synsets", synsets.toString(), "classnames", "", "templates", "",
                "imagenet-r-indices", badSubset.toString(), "imagenet-a-indices", "", "objectnet-mappings", ""))));
        assertTrue(bad.getMessage().contains("line 2") && bad.getMessage().contains("r.txt"), bad.getMessage());

        Path range = tmp.resolve("a.txt");
        Files.writeString(range, "5\n");
        UserFacingException outOfRange = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(
                Map.of("synsets", synsets.toString(), "classnames", "", "templates", "",
                        "imagenet-r-indices", "", "imagenet-a-indices", range.toString(), "objectnet-mappings", ""))));
        assertTrue(outOfRange.getMessage().contains("outside 0..1"), outOfRange.getMessage());

        Path templates = tmp.resolve("t.txt");
        Files.writeString(templates, "a photo of a {}.\nno placeholder here\n");
        UserFacingException tpl = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(Map.of(
                "synsets", synsets.toString(), "classnames", "", "templates", templates.toString(),
                "imagenet-r-indices", "", "imagenet-a-indices", "", "objectnet-mappings", ""))));
        assertTrue(tpl.getMessage().contains("template 2"), tpl.getMessage());

        Path mappings = Files.createDirectories(tmp.resolve("mappings"));
        UserFacingException on = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(Map.of(
                "synsets", synsets.toString(), "classnames", "", "templates", "",
                "imagenet-r-indices", "", "imagenet-a-indices", "", "objectnet-mappings", mappings.toString()))));
        assertTrue(on.getMessage().contains("folder_to_objectnet_label.json") && on.getMessage().contains("not found"),
                on.getMessage());
        Files.writeString(mappings.resolve("folder_to_objectnet_label.json"), "{ not json");
        UserFacingException json = assertThrows(UserFacingException.class, () -> DatasetMetadata.load(config(Map.of(
                "synsets", synsets.toString(), "classnames", "", "templates", "",
                "imagenet-r-indices", "", "imagenet-a-indices", "", "objectnet-mappings", mappings.toString()))));
        assertTrue(json.getMessage().startsWith("malformed objectnet-mappings file"), json.getMessage());
        assertFalse(json.getMessage().contains("\n"), "one line");
    }

    @Test
    void objectNetsMappingsAreRequiredOnlyWhenTheObjectNetSplitIsUsed(@TempDir Path tmp) throws Exception {
        Path synsets = tmp.resolve("synsets.txt");
        Files.writeString(synsets, "n00000001 a thing\nn00000002 another\n");
        Config noObjectNet = config(Map.of("synsets", synsets.toString(), "classnames", "", "templates", "",
                "imagenet-r-indices", "", "imagenet-a-indices", "",
                "objectnet-mappings", tmp.resolve("objectnet/mappings").toString()));
        DatasetMetadata loaded = DatasetMetadata.load(noObjectNet, new org.apache.hadoop.conf.Configuration(), false);
        assertEquals(2, loaded.numClasses());
        assertFalse(loaded.hasObjectNetMapping());
        assertThrows(UserFacingException.class,
                () -> DatasetMetadata.load(noObjectNet, new org.apache.hadoop.conf.Configuration(), true),
                "with the ObjectNet split, its missing mappings are an error");
    }
}
