package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.SettingsFingerprint;
import org.carotspark.testing.LocalProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A checkpoint's fingerprint covers what determines the numbers and nothing operational: changing how often to
 * checkpoint, where the checkpoints are, or moving the data and the pretrained model resumes; a real change names
 * its keys.
 */
class RunFingerprintsTest {

    private static Config with(Config base, Map<String, Object> overrides) {
        return ConfigFactory.parseMap(overrides).withFallback(base).resolve();
    }

    @Test
    void operationalChangesKeepTheFingerprintAndRealChangesNameTheirKeys(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("a/model"));
        Files.writeString(model.resolve("open_clip_config.json"), "{\"embed_dim\": 8}");
        Files.write(model.resolve("open_clip_model.safetensors"), new byte[] {1, 2, 3});
        Path moved = Files.createDirectories(dir.resolve("b/moved-model"));
        for (String f : List.of("open_clip_config.json", "open_clip_model.safetensors")) {
            Files.copy(model.resolve(f), moved.resolve(f));
        }
        Config base = with(LocalProfile.load(), Map.of("carot.model.checkpoint", model.toString(),
                "carot.data.parquet-root", dir.resolve("a/parquet").toString(),
                "carot.train.checkpoint-dir", dir.resolve("a/checkpoints").toString()));
        Configuration hadoop = new Configuration();
        SettingsFingerprint before = RunFingerprints.training(base, hadoop);

        Config operational = with(base, Map.of("carot.train.checkpoint-every-steps", 7,
                "carot.train.checkpoint-every-epochs", 0,
                "carot.train.checkpoint-dir", dir.resolve("b/checkpoints").toString(),
                "carot.data.parquet-root", dir.resolve("b/parquet").toString(),
                "carot.model.checkpoint", moved.toString(),
                "carot.output-dir", dir.resolve("b").toString()));
        assertEquals(before.digest(), RunFingerprints.training(operational, hadoop).digest(),
                "operational changes and moved files resume: " + before.describeDifference(
                        RunFingerprints.training(operational, hadoop).settings()));
        assertEquals(RunFingerprints.evaluation(base, hadoop).digest(),
                RunFingerprints.evaluation(operational, hadoop).digest());

        SettingsFingerprint moreEpochs = RunFingerprints.training(with(base, Map.of("carot.train.epochs", 99,
                "carot.train.learning-rate", 0.5)), hadoop);
        assertNotEquals(before.digest(), moreEpochs.digest());
        assertEquals(List.of("carot.train.epochs", "carot.train.learning-rate"),
                moreEpochs.differingKeys(before.settings()));

        Files.write(moved.resolve("open_clip_model.safetensors"), new byte[] {1, 2, 4});
        assertEquals(List.of("carot.model.checkpoint"),
                RunFingerprints.training(operational, hadoop).differingKeys(before.settings()),
                "other weights at the model path are a real change");
    }
}
