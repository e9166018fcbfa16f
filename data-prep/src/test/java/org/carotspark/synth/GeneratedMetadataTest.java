package org.carotspark.synth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.data.DatasetMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's metadata files load through the same reader and default keys as real ImageNet's. */
class GeneratedMetadataTest {

    @Test
    void generatorOutputLoadsWithTheDefaultKeys(@TempDir Path tmp) throws Exception {
        Config c = ConfigFactory.parseMap(Map.of("carot.data.raw-root", tmp.toString(),
                        "carot.generate.train-per-class", 1, "carot.generate.val-per-class", 1,
                        "carot.generate.ood-per-class", 1, "carot.generate.imagenet-c-per-class", 0))
                .withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
        GenerateStage.run(c);
        DatasetMetadata m = DatasetMetadata.load(c);
        assertEquals(10, m.numClasses());
        assertEquals(MiniImageNetGenerator.wnid(3), m.wnids().get(3));
        assertEquals(3, m.classIndex(MiniImageNetGenerator.wnid(3)));
        assertEquals(-1, m.classIndex("n00000000"));
        assertEquals("plus sign", m.classNames().get(4));
        assertEquals("circle, disc, round shape", m.synsetNames().get(0));
        assertArrayEquals(MiniImageNetGenerator.imagenetRSubset(10), m.imagenetRSubset());
        assertArrayEquals(MiniImageNetGenerator.imagenetASubset(10), m.imagenetASubset());
        assertTrue(m.templates().size() >= 5);
        int round = m.objectNetClasses().indexOf("Round thing");
        assertArrayEquals(new int[]{0, 5}, m.objectNetToImagenet()[round]); // circle, ring
        assertEquals(round, m.objectNetFolderToClass().get("round_thing"));
        assertFalse(m.objectNetFolderToClass().containsKey("spiral"));

        // Without a class-names file: the first synset name.
        DatasetMetadata fromSynsets = DatasetMetadata.load(ConfigFactory.parseMap(Map.of(
                "carot.data.metadata.classnames", "")).withFallback(c));
        assertEquals("cross", fromSynsets.classNames().get(4));

        // Serializable (it travels to executors).
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(m);
    }
}
