package org.carotspark.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.WeightDecayPolicy;
import org.carotspark.weights.ClipTensorLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.ClipBpeTokenizer;
import org.carotspark.weights.ClipModelDirectory;
import org.carotspark.weights.ClipWeights;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A published CLIP a run starts from ({@code carot.model.checkpoint}): an open_clip or Hugging Face model
 * directory, local or on any Hadoop file system (copied to the driver's local disk first), with the model's
 * shape from its own config and CLIP's BPE tokenizer from the vocabulary beside the weights (or
 * {@code carot.model.vocab}).
 */
public final class PretrainedModel {

    private final ClipModelDirectory directory;
    private final ClipModelConfig config;
    private final CaptionTokenizer tokenizer;
    private final java.nio.file.Path vocabulary;

    private PretrainedModel(ClipModelDirectory directory, ClipModelConfig config, CaptionTokenizer tokenizer,
                            java.nio.file.Path vocabulary) {
        this.directory = directory;
        this.config = config;
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
    }

    /** @param vocab a vocabulary file or directory, or blank for the one in the model directory */
    public static PretrainedModel open(String location, String vocab, Configuration hadoop) {
        ClipModelDirectory dir = ClipModelDirectory.detect(local(location, hadoop));
        ClipModelConfig config = dir.readConfig().config();
        java.nio.file.Path vocabulary = vocab.isBlank()
                ? dir.vocabulary().orElseThrow(() -> new UserFacingException(dir.dir() + " holds no tokenizer"
                        + " vocabulary (bpe_simple_vocab_16e6.txt.gz, or vocab.json + merges.txt): set carot.model.vocab"))
                : local(vocab, hadoop);
        ClipBpeTokenizer tokenizer = ClipBpeTokenizer.load(vocabulary, config.contextLength());
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new UserFacingException("the vocabulary " + vocabulary + " has " + tokenizer.vocabSize()
                    + " tokens but the model " + dir.dir() + " embeds " + config.vocabSize());
        }
        return new PretrainedModel(dir, config, tokenizer, vocabulary);
    }

    public ClipModelConfig config() {
        return config;
    }

    public CaptionTokenizer tokenizer() {
        return tokenizer;
    }

    /** Copies the checkpoint's weights into {@code graph} (built with {@link #config()}). */
    public void loadInto(ComputationGraph graph) {
        try (ClipModelDirectory.Checkpoint checkpoint = directory.open()) {
            ClipWeights.load(graph, checkpoint);
        }
    }

    /** Copies the tokenizer's vocabulary files into an exported model directory, so it loads on its own. */
    public void copyVocabulary(java.nio.file.Path modelDir) throws IOException {
        java.nio.file.Path file = Files.isDirectory(vocabulary) ? vocabulary.resolve("vocab.json") : vocabulary;
        if (!Files.isRegularFile(file)) {
            file = vocabulary.resolve("bpe_simple_vocab_16e6.txt.gz");
        }
        Files.copy(file, modelDir.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Path merges = file.resolveSibling("merges.txt");
        if (file.getFileName().toString().equals("vocab.json") && Files.isRegularFile(merges)) {
            Files.copy(merges, modelDir.resolve("merges.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The model alone, for inference (encoders, the zero-shot head): no optimiser, no initialiser run. */
    public ComputationGraph inferenceGraph() {
        ComputationGraph g = new ComputationGraph(ClipGraphBuilder.configuration(config, CarotLoss.CONTRASTIVE_ONLY,
                new NoOp(), WeightDecayPolicy.NONE, DataType.FLOAT));
        g.init(Nd4j.zeros(DataType.FLOAT, 1, ClipTensorLayout.parameterCount(config)), false);
        loadInto(g);
        return g;
    }

    @Override
    public String toString() {
        return directory.dir() + " (" + directory.layout() + ", " + config + ")";
    }

    /** A local path for {@code location}: itself when local, else a copy in a temporary directory. */
    private static java.nio.file.Path local(String location, Configuration hadoop) {
        try {
            Path path = new Path(location);
            FileSystem fs = path.getFileSystem(hadoop);
            if ("file".equals(fs.getScheme())) {
                return Paths.get(fs.makeQualified(path).toUri());
            }
            java.nio.file.Path tmp = Files.createTempDirectory("carot-model-");
            fs.copyToLocalFile(false, path, new Path(tmp.toUri()), true);
            return tmp.resolve(path.getName());
        } catch (IOException e) {
            throw UserFacingException.because("cannot read the model " + location, e);
        }
    }
}
