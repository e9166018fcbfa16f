package org.carotspark.pretrain;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.job.PretrainedModel;
import org.carotspark.testing.LocalProfile;
import org.carotspark.testing.LocalSpark;
import org.carotspark.text.ClipBpeTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short pretraining of the built-in CLIP on a small corpus, through the real stages on local Spark: it writes a
 * model directory that carot.model.checkpoint loads, is kept while its settings are unchanged, redone when they
 * change, and rebuilt bit for bit from the same settings.
 */
class PretrainStageTest {

    private static Config config(Path dir, int images) {
        return ConfigFactory.parseMap(Map.of(
                "carot.pretrain.output", dir.resolve("clip").toString(),
                "carot.pretrain.corpus.path", dir.resolve("corpus").toString(),
                "carot.pretrain.corpus.images", images,
                "carot.pretrain.train.epochs", 1,
                "carot.pretrain.train.global-batch-size", 16,
                "carot.pretrain.train.min-pairs-per-worker", 4,
                "carot.pretrain.train.warmup-steps", 1,
                "carot.pretrain.train.workers", 2)).withFallback(LocalProfile.load()).resolve();
    }

    @Test
    void writesALoadableCheckpointOnceAndReproducesItBitForBit(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("clip");
        Path weights = clip.resolve("open_clip_model.safetensors");
        new PretrainStage().run(LocalSpark.session(), config(dir, 48));

        for (String f : new String[] {"open_clip_config.json", "open_clip_model.safetensors", "vocab.json",
                "merges.txt", PretrainStage.STAMP}) {
            assertTrue(Files.isRegularFile(clip.resolve(f)), f);
        }
        PretrainedModel model = PretrainedModel.open(clip.toString(), "", new Configuration());
        assertEquals(64, model.config().visionWidth());
        assertEquals(24, model.config().contextLength());
        ClipBpeTokenizer tokenizer = (ClipBpeTokenizer) model.tokenizer();
        assertEquals(6, tokenizer.encodeWithoutSpecialTokens("a photo of a circle.").length,
                "corpus words are single tokens");
        model.inferenceGraph(); // the weights load into the graph of the written config

        byte[] first = Files.readAllBytes(weights);
        long written = Files.getLastModifiedTime(weights).toMillis();
        Thread.sleep(20);
        new PretrainStage().run(LocalSpark.session(), config(dir, 48));
        assertEquals(written, Files.getLastModifiedTime(weights).toMillis(), "same settings: kept, not retrained");

        Files.delete(clip.resolve(PretrainStage.STAMP));
        new PretrainStage().run(LocalSpark.session(), config(dir, 48));
        assertArrayEquals(first, Files.readAllBytes(weights), "the same settings pretrain the same weights");

        String stamp = Files.readString(clip.resolve(PretrainStage.STAMP));
        new PretrainStage().run(LocalSpark.session(), config(dir, 40));
        assertFalse(stamp.equals(Files.readString(clip.resolve(PretrainStage.STAMP))), "a changed setting pretrains again");
        try (var siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".writing-")),
                    "no staging directory left behind");
        }
    }
}
