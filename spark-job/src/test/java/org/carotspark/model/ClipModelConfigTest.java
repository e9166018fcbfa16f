package org.carotspark.model;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipModelConfigTest {

    @Test
    void referenceConfDefaultsAreTheTinyModel() {
        ClipModelConfig m = ClipModelConfig.fromConfig(ConfigFactory.load());
        assertEquals(new ClipModelConfig(32, 8, 64, 2, 4, 16, 1024, 64, 2, 4, 64, Math.log(1 / 0.07), 42), m);
        assertEquals(16, m.numPatches());
        assertEquals(Math.log(1 / 0.07), m.initLogitScale(), 1e-15);
    }

    @Test
    void overridesAndVocabularyFromTheTokenizer() throws Exception {
        ClipModelConfig m = ClipModelConfig.fromConfig(ConfigFactory.parseString(
                "carot.model { image-size = 224, patch-size = 16, vision-width = 768, vision-layers = 12,"
                        + " vision-heads = 12, context-length = 77, text-width = 512, text-layers = 12, text-heads = 8,"
                        + " embed-dim = 512, vocab-size = 49408 }").withFallback(ConfigFactory.load()));
        assertEquals(ClipModelConfig.vitB16(), m);
        ClipModelConfig v = m.withVocabSize(123);
        assertEquals(123, v.vocabSize());
        assertEquals(m.visionWidth(), v.visionWidth());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(v);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(v, in.readObject());
        }
    }

    @Test
    void invalidShapesAreRejectedWithTheKeyName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClipModelConfig(30, 8, 64, 2, 4, 16, 100, 64, 2, 4, 64, 2.6, 1));
        assertTrue(e.getMessage().contains("patch-size"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ClipModelConfig(32, 8, 64, 2, 5, 16, 100, 64, 2, 4, 64, 2.6, 1));
    }
}
