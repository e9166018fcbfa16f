package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.testing.ClipReferenceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipModelDirectoryTest {

    @TempDir
    Path tmp;

    private static String failure(Path dir) {
        return assertThrows(UserFacingException.class, () -> ClipModelDirectory.detect(dir)).getMessage();
    }

    @Test
    void recognisesBothHubLayouts() {
        ClipModelDirectory openClip = ClipModelDirectory.detect(ClipReferenceFixture.dir().resolve("openclip"));
        assertEquals(ClipModelDirectory.Layout.OPEN_CLIP, openClip.layout());
        assertEquals(StateDictNaming.OPENAI, openClip.layout().naming());
        assertEquals(Optional.empty(), openClip.vocabulary());
        ClipModelDirectory hf = ClipModelDirectory.detect(ClipReferenceFixture.dir().resolve("hf"));
        assertEquals(ClipModelDirectory.Layout.HUGGING_FACE, hf.layout());
        assertEquals(Optional.of(ClipReferenceFixture.dir().resolve("hf/vocab.json")), hf.vocabulary());
        assertTrue(hf.weightsFile().endsWith("model.safetensors"));
    }

    @Test
    void openChecksEveryTensorAgainstTheConfig() {
        for (String layout : new String[]{"openclip", "hf"}) {
            try (ClipModelDirectory.Checkpoint c = ClipModelDirectory.detect(ClipReferenceFixture.dir().resolve(layout)).open()) {
                assertEquals(layout.equals("hf") ? StateDictNaming.HUGGING_FACE : StateDictNaming.OPENAI, c.naming());
                assertEquals(16, c.config().config().visionWidth());
                assertEquals(1, c.weights().readFloats("logit_scale").length);
            }
        }
    }

    @Test
    void bothLayoutsTogetherPreferOpenClip() throws Exception {
        copy("openclip/open_clip_config.json", "open_clip_config.json");
        copy("openclip/open_clip_model.safetensors", "open_clip_model.safetensors");
        copy("hf/config.json", "config.json");
        copy("hf/model.safetensors", "model.safetensors");
        assertEquals(ClipModelDirectory.Layout.OPEN_CLIP, ClipModelDirectory.detect(tmp).layout());
    }

    @Test
    void aConfigThatDoesNotFitTheWeightsIsRefusedBeforeLoading() throws Exception {
        copy("openclip/open_clip_model.safetensors", "open_clip_model.safetensors");
        String config = Files.readString(ClipReferenceFixture.dir().resolve("openclip/open_clip_config.json"))
                .replace("\"embed_dim\": 10", "\"embed_dim\": 12");
        Files.writeString(tmp.resolve("open_clip_config.json"), config);
        String m = assertThrows(UserFacingException.class, () -> ClipModelDirectory.detect(tmp).open()).getMessage();
        assertTrue(m.contains("open_clip_model.safetensors does not match the model config: 2 wrong shape: "
                + "visual.proj expected [16, 12] found [16, 10], text_projection expected [12, 12] found [12, 10]"), m);
    }

    @Test
    void incompleteDirectoriesSayWhatIsMissing() throws Exception {
        assertTrue(failure(tmp.resolve("absent")).contains("model directory not found"));
        assertTrue(failure(tmp).contains("expected open_clip_config.json + open_clip_model.safetensors"));
        Files.writeString(tmp.resolve("config.json"), "{}");
        assertTrue(failure(tmp).contains("config.json is there but model.safetensors is missing"));
        Files.delete(tmp.resolve("config.json"));
        Files.writeString(tmp.resolve("open_clip_pytorch_model.bin"), "x");
        assertTrue(failure(tmp).contains("convert it to safetensors"));
        Files.writeString(tmp.resolve("model.safetensors.index.json"), "{}");
        assertTrue(failure(tmp).contains("sharded"));
    }

    private void copy(String from, String to) throws Exception {
        Files.copy(ClipReferenceFixture.dir().resolve(from), tmp.resolve(to));
    }
}
