package org.carotspark.pretrain;

import com.typesafe.config.Config;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.carotspark.data.ParquetColumns;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.text.BpeTrainer;
import org.carotspark.text.BpeVocabulary;
import org.carotspark.text.ClipBpeTokenizer;
import org.carotspark.train.DistributedTrainer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingOutcome;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.TrainImages;
import org.carotspark.weights.ClipWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Contrastive (CLIP-loss) pretraining of a CLIP from random initialisation on a captioned corpus: a BPE vocabulary
 * learned from the corpus's captions, the graph of {@code carot.model}'s shape, trained by the same
 * {@link DistributedTrainer} as fine-tuning with {@code carot.pretrain.train} over {@code carot.train}, then written as an
 * open_clip directory with its vocabulary — what {@code carot.model.checkpoint} loads.
 */
public final class Pretraining {

    private static final Logger LOG = LoggerFactory.getLogger(Pretraining.class);
    /** Merges of the learned vocabulary at most; the corpus's words need far fewer, so every word is one token. */
    static final int MAX_MERGES = 4000;

    /** What a pretraining run produced: the training outcome and the vocabulary. */
    public record Result(TrainingOutcome outcome, BpeVocabulary vocabulary, ClipModelConfig model, long pairs) {
    }

    private Pretraining() {
    }

    /** The configuration pretraining trains with: {@code carot.pretrain.train} over {@code carot.train}. */
    public static Config trainingConfig(Config config) {
        return config.getConfig("carot.pretrain.train").atPath("carot.train").withFallback(config);
    }

    /** Pretrains on {@code corpus} (id, label, image, captions) and writes the model directory {@code out}. */
    public static Result run(SparkSession spark, Config config, Dataset<Row> corpus, Path out) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> captions = corpus.select(org.apache.spark.sql.functions.explode(
                corpus.col(ParquetColumns.CAPTIONS))).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        BpeVocabulary vocabulary = BpeTrainer.learn(BpeTrainer.countWords(captions), MAX_MERGES,
                "learned from " + captions.size() + " pretraining captions");
        ClipModelConfig model = ClipModelConfig.fromConfig(config, vocabulary.size());
        ClipBpeTokenizer tokenizer = new ClipBpeTokenizer(vocabulary, model.contextLength());
        LOG.info("pretraining vocabulary: {} tokens ({} merges) from {} captions", vocabulary.size(),
                vocabulary.mergeCount(), captions.size());

        Config run = trainingConfig(config);
        TrainingSettings settings = TrainingSettings.fromConfig(run, jsc.defaultParallelism());
        long pairs = corpus.count();
        var graph = TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY, settings,
                settings.totalSteps(pairs));
        DistributedTrainer trainer = new DistributedTrainer(jsc, settings, EmaSettings.fromConfig(run), tokenizer,
                CaptionSampler.ownCaptions(settings.captionSeed()), TrainImages.fromConfig(run, model.imageSize()),
                CheckpointStore.disabled());
        TrainingOutcome outcome = trainer.train("pretrain", graph, corpus);
        ClipWeights.exportOpenClip(outcome.student(), model, out);
        vocabulary.writeHuggingFace(out);
        return new Result(outcome, vocabulary, model, pairs);
    }
}
