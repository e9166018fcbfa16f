package org.carotspark.model;

import org.carotspark.config.UserFacingException;
import org.carotspark.testing.LocalProfile;
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
    void referenceConfDefaultsAreViTB16AndTheLocalProfileTheTinyModel() {
        assertEquals(ClipModelConfig.vitB16(), ClipModelConfig.fromConfig(ConfigFactory.load(), 49408));
        ClipModelConfig m = ClipModelConfig.fromConfig(LocalProfile.load(), 1024);
        assertEquals(new ClipModelConfig(32, 8, 64, 2, 4, 24, 1024, 64, 2, 4, 32, Math.log(1 / 0.07), 42), m);
        assertEquals(16, m.numPatches());
        assertEquals(Math.log(1 / 0.07), m.initLogitScale(), 1e-15);
    }

    @Test
    void overridesAndVocabularyFromTheTokenizer() throws Exception {
        ClipModelConfig v = ClipModelConfig.fromConfig(ConfigFactory.parseString("carot.model.text-layers = 3")
                .withFallback(ConfigFactory.load()), 123);
        ClipModelConfig m = ClipModelConfig.vitB16();
        assertEquals(3, v.textLayers());
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
        UserFacingException fromConfig = assertThrows(UserFacingException.class, () -> ClipModelConfig.fromConfig(
                com.typesafe.config.ConfigFactory.parseString("carot.model.vision-heads = 5")
                        .withFallback(com.typesafe.config.ConfigFactory.load()), 100));
        assertTrue(fromConfig.getMessage().startsWith("carot.model: vision-heads (5)"), fromConfig.getMessage());
    }
}
