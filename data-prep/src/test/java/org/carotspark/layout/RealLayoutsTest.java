package org.carotspark.layout;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.DatasetMetadataTest;
import org.carotspark.data.Split;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every reader on a small tree in its real published layout, with the real metadata files (OpenAI
 * class names, the IN-R / IN-A index lists, ObjectNet's mappings) from the shared folder; the synset
 * file is a 1000-class stand-in in the ILSVRC format (the real one is not among the shared files).
 */
class RealLayoutsTest {

    @TempDir
    Path tmp;
    Path shared;
    DatasetMetadata meta;
    final Configuration conf = new Configuration();

    @BeforeEach
    void metadata() throws Exception {
        shared = DatasetMetadataTest.sharedImagenet();
        meta = DatasetMetadata.load(metadataConfig(Map.of()), conf);
    }

    Config metadataConfig(Map<String, Object> extra) throws Exception {
        Map<String, Object> m = new HashMap<>(Map.of(
                "synsets", DatasetMetadataTest.thousandSynsets(tmp).toString(),
                "classnames", shared.resolve("openai_classnames.txt").toString(),
                "templates", shared.resolve("openai_imagenet_templates.txt").toString(),
                "imagenet-r-indices", shared.resolve("imagenet_r_class_indices.txt").toString(),
                "imagenet-a-indices", shared.resolve("imagenet_a_class_indices.txt").toString(),
                "objectnet-mappings", shared.toString()));
        m.putAll(extra);
        return DatasetMetadataTest.config(m);
    }

    private Path touch(Path root, String relative) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    private List<LayoutEntry> list(Split split, Path root, Config config) throws Exception {
        SplitLayout layout = LayoutReader.layoutFor(split, meta, config, conf);
        return LayoutReader.list(split, LayoutReader.listedRoot(root.toString(), layout), layout, conf);
    }

    private static Map<String, Integer> labels(List<LayoutEntry> entries) {
        Map<String, Integer> m = new HashMap<>();
        entries.stream().filter(e -> !e.isRejected()).forEach(e -> m.put(e.relativePath(), e.label()));
        return m;
    }

    private List<Integer> indices(String file) throws Exception {
        return Files.readAllLines(shared.resolve(file)).stream().filter(l -> !l.isBlank())
                .map(l -> Integer.parseInt(l.strip())).toList();
    }

    @Test
    void valInWnidFolders() throws Exception {
        Path val = tmp.resolve("val");
        touch(val, meta.wnids().get(65) + "/ILSVRC2012_val_00000001.JPEG");
        touch(val, meta.wnids().get(999) + "/ILSVRC2012_val_00000002.JPEG");
        assertEquals(Map.of(meta.wnids().get(65) + "/ILSVRC2012_val_00000001.JPEG", 65,
                meta.wnids().get(999) + "/ILSVRC2012_val_00000002.JPEG", 999), labels(list(Split.IMAGENET, val,
                metadataConfig(Map.of()))));
    }

    @Test
    void flatValWithTheKaggleSolutionFile() throws Exception {
        Path val = tmp.resolve("val");
        touch(val, "ILSVRC2012_val_00000001.JPEG");
        touch(val, "ILSVRC2012_val_00000002.JPEG");
        touch(val, "ILSVRC2012_val_00000003.JPEG");
        Path csv = tmp.resolve("LOC_val_solution.csv");
        Files.write(csv, List.of("ImageId,PredictionString",
                "ILSVRC2012_val_00000002," + meta.wnids().get(7) + " 1 2 3 4 " + meta.wnids().get(7) + " 5 6 7 8",
                "ILSVRC2012_val_00000001," + meta.wnids().get(65) + " 0 0 10 10"));
        List<LayoutEntry> entries = list(Split.IMAGENET, val, metadataConfig(Map.of()).withValue(
                LayoutReader.VAL_LABELS_KEY, ConfigValueFactory.fromAnyRef(csv.toString())));
        assertEquals(Map.of("ILSVRC2012_val_00000001.JPEG", 65, "ILSVRC2012_val_00000002.JPEG", 7), labels(entries));
        assertEquals(meta.wnids().get(65), entries.get(0).wnid());
        assertTrue(entries.get(2).rejectReason().startsWith("unlabeled: no label for ILSVRC2012_val_00000003"),
                entries.get(2).toString());
    }

    @Test
    void flatValWithAWnidPerLine() throws Exception {
        Path val = tmp.resolve("val");
        touch(val, "ILSVRC2012_val_00000001.JPEG");
        touch(val, "ILSVRC2012_val_00000002.JPEG");
        Path file = tmp.resolve("imagenet_2012_validation_synset_labels.txt");
        Files.write(file, List.of(meta.wnids().get(65), meta.wnids().get(3)));
        assertEquals(Map.of("ILSVRC2012_val_00000001.JPEG", 65, "ILSVRC2012_val_00000002.JPEG", 3),
                labels(list(Split.IMAGENET, val, withLabels(file, ""))));
    }

    @Test
    void flatValWithTheDevkitGroundTruthNeedsTheDevkitSynsetOrder() throws Exception {
        Path val = tmp.resolve("val");
        touch(val, "ILSVRC2012_val_00000001.JPEG");
        touch(val, "ILSVRC2012_val_00000002.JPEG");
        Path truth = tmp.resolve("ILSVRC2012_validation_ground_truth.txt");
        // The devkit numbers classes in its own order: here its ID i is our class 1000 − i.
        Files.write(truth, List.of("490", "1"));
        List<String> devkitOrder = new ArrayList<>(meta.wnids());
        Collections.reverse(devkitOrder);
        Path devkit = tmp.resolve("devkit_synsets.txt");
        Files.write(devkit, devkitOrder);
        assertEquals(Map.of("ILSVRC2012_val_00000001.JPEG", 1000 - 490, "ILSVRC2012_val_00000002.JPEG", 999),
                labels(list(Split.IMAGENET, val, withLabels(truth, devkit.toString()))));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> list(Split.IMAGENET, val, withLabels(truth, "")));
        assertTrue(e.getMessage().contains("carot.data.metadata.devkit-synsets"), e.getMessage());
        Files.write(truth, List.of("490", "n99999999"));
        UserFacingException bad = assertThrows(UserFacingException.class,
                () -> list(Split.IMAGENET, val, withLabels(truth, devkit.toString())));
        assertTrue(bad.getMessage().contains("line 2 is neither a wnid nor an ILSVRC2012_ID"), bad.getMessage());
    }

    private Config withLabels(Path labels, String devkit) throws Exception {
        return metadataConfig(Map.of("devkit-synsets", devkit)).withValue(LayoutReader.VAL_LABELS_KEY,
                ConfigValueFactory.fromAnyRef(labels.toString()));
    }

    @Test
    void imagenetV2AllThreeVariantsShareTheClassIndexLayout() throws Exception {
        for (String variant : List.of("imagenetv2-matched-frequency-format-val", "imagenetv2-threshold0.7-format-val",
                "imagenetv2-top-images-format-val")) {
            Path root = tmp.resolve(variant);
            touch(root, "0/7e4f0a1c5b.jpeg");
            touch(root, "999/0a9d.jpeg");
            touch(root, "500/ffff.jpeg");
            touch(root, "1000/ffff.jpeg");
            List<LayoutEntry> entries = list(Split.IMAGENET_V2, root, metadataConfig(Map.of()));
            assertEquals(Map.of("0/7e4f0a1c5b.jpeg", 0, "999/0a9d.jpeg", 999, "500/ffff.jpeg", 500), labels(entries));
            assertEquals(meta.wnids().get(500), entries.stream().filter(e -> "500/ffff.jpeg".equals(e.relativePath()))
                    .findFirst().orElseThrow().wnid());
            assertTrue(entries.stream().anyMatch(e -> e.isRejected() && e.rejectReason().contains("'1000'")), variant);
        }
    }

    @Test
    void imagenetRAndAClassFoldersMustBeThePublishedLists() throws Exception {
        for (Split split : List.of(Split.IMAGENET_R, Split.IMAGENET_A)) {
            List<Integer> published = indices(split == Split.IMAGENET_R ? "imagenet_r_class_indices.txt"
                    : "imagenet_a_class_indices.txt");
            Path root = tmp.resolve(split.configName());
            for (int c : published) {
                touch(root, meta.wnids().get(c) + "/art_1.jpg");
            }
            List<LayoutEntry> entries = list(split, root, metadataConfig(Map.of()));
            assertEquals(200, entries.size());
            assertTrue(entries.stream().noneMatch(LayoutEntry::isRejected));
            assertEquals(published.stream().sorted().toList(),
                    entries.stream().map(LayoutEntry::label).distinct().sorted().toList(),
                    "classes derived from the folders equal the published list");

            // one class folder missing
            Path missing = root.resolve(meta.wnids().get(published.get(0)));
            Files.delete(missing.resolve("art_1.jpg"));
            Files.delete(missing);
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> list(split, root, metadataConfig(Map.of())));
            assertTrue(e.getMessage().contains("no folder for " + meta.wnids().get(published.get(0)) + " (class "
                    + published.get(0) + ")") && e.getMessage().contains("(199)"), e.getMessage());

            // and one folder outside the list instead
            touch(root, meta.wnids().get(published.get(0)) + "/art_1.jpg");
            int outside = IntStream.range(0, 1000).filter(c -> !published.contains(c)).findFirst()
                    .orElseThrow();
            touch(root, meta.wnids().get(outside) + "/x.jpg");
            UserFacingException extra = assertThrows(UserFacingException.class,
                    () -> list(split, root, metadataConfig(Map.of())));
            assertTrue(extra.getMessage().contains("folders outside the list: " + meta.wnids().get(outside)),
                    extra.getMessage());
        }
    }

    @Test
    void imagenetSketchAndImagenetC() throws Exception {
        Path sketch = tmp.resolve("sketch");
        touch(sketch, meta.wnids().get(12) + "/sketch_3.JPEG");
        assertEquals(Map.of(meta.wnids().get(12) + "/sketch_3.JPEG", 12),
                labels(list(Split.IMAGENET_SKETCH, sketch, metadataConfig(Map.of()))));
        Path c = tmp.resolve("imagenet-c");
        touch(c, "frost/5/" + meta.wnids().get(3) + "/ILSVRC2012_val_00000009.JPEG");
        touch(c, "saturate/1/" + meta.wnids().get(4) + "/ILSVRC2012_val_00000010.JPEG");
        List<LayoutEntry> entries = list(Split.IMAGENET_C, c, metadataConfig(Map.of()));
        assertEquals(2, entries.size());
        assertEquals("frost", entries.get(0).corruption());
        assertEquals(5, entries.get(0).severity());
        assertEquals(3, entries.get(0).label());
        assertEquals("saturate", entries.get(1).corruption(), "the extra IN-C corruptions are read too");
    }

    @Test
    void objectNetThroughItsRealMappingFilesWithItsBorderCropped() throws Exception {
        Path root = tmp.resolve("objectnet-1.0");
        touch(root, "images/umbrella/0a1b.png");
        touch(root, "images/computer_mouse/0c2d.png");
        touch(root, "images/squeegee/0e3f.png");
        List<LayoutEntry> entries = list(Split.OBJECTNET, root, metadataConfig(Map.of()));
        Map<String, Integer> l = labels(entries);
        assertEquals(Map.of("images/umbrella/0a1b.png", meta.objectNetFolderToClass().get("umbrella"),
                "images/computer_mouse/0c2d.png", meta.objectNetFolderToClass().get("computer_mouse")), l);
        assertTrue(entries.stream().anyMatch(e -> e.isRejected() && e.rejectReason().contains("'squeegee'")));
        int umbrella = meta.objectNetFolderToClass().get("umbrella");
        assertTrue(Arrays.stream(meta.objectNetToImagenet()[umbrella]).anyMatch(c -> c >= 0 && c < 1000));
        assertEquals(2, LayoutReader.layoutFor(Split.OBJECTNET, meta).borderCropPixels());
        assertFalse(meta.objectNetClasses().isEmpty());
        assertEquals(113, meta.objectNetClasses().size());
        assertEquals(List.of(0), List.of(LayoutReader.layoutFor(Split.IMAGENET_SKETCH, meta).borderCropPixels()));
        assertEquals(new org.apache.hadoop.fs.Path(root.resolve("images").toString()).getName(),
                LayoutReader.listedRoot(root.toString(), LayoutReader.layoutFor(Split.OBJECTNET, meta)).getName());
        assertEquals(113, meta.objectNetFolderToClass().values().stream().collect(Collectors.toSet()).size());
    }
}
