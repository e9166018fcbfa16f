package org.carotspark.synth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.data.CorruptionNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniImageNetGeneratorTest {

    /** Small settings for tests: 10 classes, a few images each. */
    static Config smallConfig(Path root, long seed) {
        return ConfigFactory.parseMap(Map.of(
                        "carot.generate.output-root", root.toString(),
                        "carot.generate.seed", seed,
                        "carot.generate.train-per-class", 4,
                        "carot.generate.val-per-class", 3,
                        "carot.generate.ood-per-class", 2,
                        "carot.generate.imagenet-c-per-class", 1))
                .withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
    }

    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndOtherSeedDiffers(@TempDir Path tmp) throws Exception {
        GenerateStage.run(smallConfig(tmp.resolve("a"), 7));
        GenerateStage.run(smallConfig(tmp.resolve("b"), 7));
        GenerateStage.run(smallConfig(tmp.resolve("c"), 8));
        Map<String, byte[]> a = readTree(tmp.resolve("a"));
        Map<String, byte[]> b = readTree(tmp.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), k);
        }
        Map<String, byte[]> c = readTree(tmp.resolve("c"));
        String someTrain = "ILSVRC2012/train/" + MiniImageNetGenerator.wnid(0) + "/" + MiniImageNetGenerator.wnid(0)
                + "_1.JPEG";
        assertFalse(Arrays.equals(a.get(someTrain), c.get(someTrain)), "a different seed draws different images");
    }

    @Test
    void writesThePublishedLayouts(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("mini");
        MiniImageNetGenerator.Summary s = GenerateStage.run(smallConfig(root, 1));
        String w0 = MiniImageNetGenerator.wnid(0);
        List<String> synsets = Files.readAllLines(root.resolve("LOC_synset_mapping.txt"));
        assertEquals(10, synsets.size());
        assertEquals(w0 + " circle, disc, round shape", synsets.get(0));
        List<String> sorted = synsets.stream().sorted().toList();
        assertEquals(sorted, synsets, "synset file sorted by wnid");

        assertEquals(4, count(root.resolve("ILSVRC2012/train/" + w0)));
        assertTrue(Files.exists(root.resolve("ILSVRC2012/val/" + w0 + "/ILSVRC2012_val_00000001.JPEG")));
        assertEquals(10, count(root.resolve("imagenetv2")));
        assertEquals(2, count(root.resolve("imagenetv2/9")));
        int[] r = MiniImageNetGenerator.imagenetRSubset(10);
        assertEquals(r.length, count(root.resolve("imagenet-r")));
        assertTrue(r.length < 10);
        assertEquals(MiniImageNetGenerator.imagenetASubset(10).length, count(root.resolve("imagenet-a")));
        assertEquals(10, count(root.resolve("imagenet-sketch")));
        assertEquals(List.of("0", "1", "2", "4", "5", "6", "8", "9"),
                Files.readAllLines(root.resolve("metadata/imagenet_r_class_indices.txt")));
        // ObjectNet: mapped folders + 2 unmapped, mapping files in ObjectNet's format.
        Path on = root.resolve("objectnet");
        int groups = MiniImageNetGenerator.objectNetGroups(10).size();
        assertEquals(groups + 2, count(on.resolve("images")));
        assertTrue(Files.exists(on.resolve("images/spiral")));
        for (String f : List.of("folder_to_objectnet_label.json", "objectnet_to_imagenet_1k.json",
                "imagenet_to_label_2012_v2", "pytorch_to_imagenet_2012_id.json")) {
            assertTrue(Files.isRegularFile(on.resolve("mappings").resolve(f)), f);
        }
        String onMap = Files.readString(on.resolve("mappings/objectnet_to_imagenet_1k.json"));
        assertTrue(onMap.contains("\"Round thing\": \"circle, disc, round shape; ring, annulus, hoop\""), onMap);
        assertTrue(Files.readString(on.resolve("mappings/folder_to_objectnet_label.json"))
                .contains("\"spiral\": \"Spiral\""));
        try (Stream<Path> pngs = Files.list(on.resolve("images/round_thing"))) {
            assertTrue(pngs.allMatch(p -> p.toString().endsWith(".png")));
        }
        // ImageNet-C: all 15 corruptions × 5 severities × 10 classes × 1 image.
        assertEquals(CorruptionNames.BENCHMARK.stream().sorted().toList(),
                list(root.resolve("imagenet-c")));
        assertEquals(List.of("1", "2", "3", "4", "5"), list(root.resolve("imagenet-c/contrast")));
        assertEquals(15 * 5 * 10, s.filesPerLayout().get("imagenet-c"));
        assertTrue(Files.exists(root.resolve("imagenet-c/contrast/3/" + w0 + "/ILSVRC2012_val_00000001.JPEG")));
        assertTrue(Files.exists(root.resolve("metadata/templates.txt")));
        assertTrue(Files.exists(root.resolve("metadata/classnames.txt")));
    }

    @Test
    void refusesToOverwriteAForeignDirectoryButRegeneratesItsOwn(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("precious.txt"), "keep me");
        assertThrows(org.carotspark.config.UserFacingException.class, () -> GenerateStage.run(smallConfig(tmp, 1)));
        Path root = tmp.resolve("own");
        GenerateStage.run(smallConfig(root, 1));
        Path stale = root.resolve("ILSVRC2012/train/n99999999/stale.JPEG");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "x");
        GenerateStage.run(smallConfig(root, 1));
        assertFalse(Files.exists(stale), "regenerating clears the previous output");
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
