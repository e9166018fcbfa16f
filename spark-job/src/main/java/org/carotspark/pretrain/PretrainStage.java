package org.carotspark.pretrain;

import com.typesafe.config.Config;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.ConfigDigest;
import org.carotspark.sparkutil.LocalFiles;
import org.carotspark.stage.StageLauncher;
import org.carotspark.train.Dl4jStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The stage {@code pretrain} ({@code bin/carot pretrain}): renders the pretraining corpus (stage
 * {@code pretrain-corpus}), pretrains the built-in CLIP on it ({@link Pretraining}) and writes the open_clip
 * directory {@code carot.pretrain.output}. A directory already written from the same settings is kept: its
 * {@value #STAMP} records their digest, so the demo pretrains once and a changed setting pretrains again. The
 * directory is built beside the target and moved into place whole.
 */
public final class PretrainStage extends Dl4jStage {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainStage.class);
    public static final String NAME = "pretrain";
    static final String STAMP = "pretrain-settings.sha256";
    /** What the pretrained model depends on: the corpus, the pretraining run, and the model's shape and seed. */
    static final String[] SETTINGS = {"carot.pretrain.corpus", "carot.pretrain.train", "carot.model.image-size",
            "carot.model.patch-size", "carot.model.vision-width", "carot.model.vision-layers", "carot.model.vision-heads",
            "carot.model.context-length", "carot.model.text-width", "carot.model.text-layers",
            "carot.model.text-heads", "carot.model.embed-dim", "carot.model.init-logit-scale", "carot.model.seed",
            "carot.model.activation"};

    public PretrainStage() {
        super(NAME);
    }

    /** The local directory the pretrained model is written to. */
    static Path output(Config config) {
        return LocalFiles.localPath("carot.pretrain.output", config.getString("carot.pretrain.output").strip(),
                " (pretrain locally; copy the directory to share it)");
    }

    /** True when {@code dir} holds a model pretrained from exactly these settings. */
    static boolean upToDate(Path dir, String digest) throws IOException {
        Path stamp = dir.resolve(STAMP);
        return Files.isRegularFile(stamp) && Files.readString(stamp, StandardCharsets.UTF_8).strip().equals(digest);
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        Path out = output(config);
        String digest = ConfigDigest.sha256(config, SETTINGS);
        if (upToDate(out, digest)) {
            LOG.info("pretrained CLIP at {} is up to date with its settings: not pretraining again", out);
            return;
        }
        long start = System.nanoTime();
        StageLauncher.named("pretrain-corpus").run(spark, config);
        Dataset<Row> corpus = spark.read().parquet(config.getString("carot.pretrain.corpus.path")).cache();
        Files.createDirectories(out.getParent());
        Path staging = out.resolveSibling("." + out.getFileName() + ".writing-" + System.nanoTime());
        try {
            Pretraining.Result r = Pretraining.run(spark, config, corpus, staging);
            Files.writeString(staging.resolve(STAMP), digest + "\n", StandardCharsets.UTF_8);
            LocalFiles.deleteRecursively(out);
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("pretrained CLIP written to {}: {} pairs, {} steps, final loss {}, {} vocabulary tokens, in {} s", out,
                    r.pairs(), r.outcome().steps(), r.outcome().lastRoundTerms() == null ? "-"
                            : String.format(Locale.ROOT, "%.4f", r.outcome().lastRoundTerms().means()[0]),
                    r.vocabulary().size(), Math.round((System.nanoTime() - start) / 1e9));
        } finally {
            LocalFiles.deleteRecursively(staging);
            corpus.unpersist();
        }
    }
}
