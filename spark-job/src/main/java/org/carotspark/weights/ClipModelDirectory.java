package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.text.ClipBpeTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A CLIP model directory as the hubs publish it: open_clip ({@code open_clip_config.json} +
 * {@code open_clip_model.safetensors}, OpenAI tensor names) or Hugging Face ({@code config.json} +
 * {@code model.safetensors}, transformers' names). Many open_clip hub repositories carry both; the
 * open_clip pair is then used, being this project's own naming. A vocabulary found beside the weights
 * ({@code bpe_simple_vocab_16e6.txt.gz}, or {@code vocab.json} + {@code merges.txt}) is reported too.
 */
public record ClipModelDirectory(Path dir, Layout layout, Path configFile, Path weightsFile, Optional<Path> vocabulary) {

    public enum Layout {
        OPEN_CLIP("open_clip_config.json", "open_clip_model.safetensors", StateDictNaming.OPENAI),
        HUGGING_FACE("config.json", "model.safetensors", StateDictNaming.HUGGING_FACE);

        private final String configName;
        private final String weightsName;
        private final StateDictNaming naming;

        Layout(String configName, String weightsName, StateDictNaming naming) {
            this.configName = configName;
            this.weightsName = weightsName;
            this.naming = naming;
        }

        public String configName() {
            return configName;
        }

        public String weightsName() {
            return weightsName;
        }

        /** The tensor naming this layout's weights use. */
        public StateDictNaming naming() {
            return naming;
        }
    }

    public static ClipModelDirectory detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserFacingException("model directory not found: " + dir);
        }
        for (Layout layout : Layout.values()) {
            Path config = dir.resolve(layout.configName);
            Path weights = dir.resolve(layout.weightsName);
            if (Files.isRegularFile(config) && Files.isRegularFile(weights)) {
                return new ClipModelDirectory(dir, layout, config, weights, vocabularyIn(dir));
            }
        }
        throw new UserFacingException("no CLIP checkpoint in " + dir + ": " + whatIsMissing(dir));
    }

    private static String whatIsMissing(Path dir) {
        if (Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
            return "sharded Hugging Face checkpoints (model.safetensors.index.json) are not supported; "
                    + "save the model as one model.safetensors";
        }
        for (Layout layout : Layout.values()) {
            boolean config = Files.isRegularFile(dir.resolve(layout.configName));
            boolean weights = Files.isRegularFile(dir.resolve(layout.weightsName));
            if (config && !weights) {
                return layout.configName + " is there but " + layout.weightsName + " is missing";
            }
            if (weights && !config) {
                return layout.weightsName + " is there but " + layout.configName + " is missing";
            }
        }
        for (String pickle : new String[]{"open_clip_pytorch_model.bin", "pytorch_model.bin"}) {
            if (Files.isRegularFile(dir.resolve(pickle))) {
                return "only " + pickle + " (PyTorch pickle) is there; convert it to safetensors";
            }
        }
        return "expected open_clip_config.json + open_clip_model.safetensors (open_clip) or config.json + "
                + "model.safetensors (Hugging Face)";
    }

    private static Optional<Path> vocabularyIn(Path dir) {
        Path openAi = dir.resolve(ClipBpeTokenizer.OPENAI_VOCAB_FILE);
        if (Files.isRegularFile(openAi)) {
            return Optional.of(openAi);
        }
        Path vocabJson = dir.resolve("vocab.json");
        if (Files.isRegularFile(vocabJson) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            return Optional.of(vocabJson);
        }
        return Optional.empty();
    }

    /** An opened checkpoint whose tensors all match its config; close it to release the file. */
    public record Checkpoint(ClipModelConfigJson.Parsed config, StateDictNaming naming, SafetensorsReader weights)
            implements AutoCloseable {
        @Override
        public void close() {
            weights.close();
        }
    }

    /**
     * Reads the config, opens the weights (the whole header is checked against the file) and checks
     * every tensor's name, shape and dtype against the config, all before any tensor is read.
     */
    public Checkpoint open() {
        ClipModelConfigJson.Parsed config = readConfig();
        SafetensorsReader weights = SafetensorsReader.open(weightsFile);
        try {
            java.util.List<String> names = weights.tensors().stream().map(TensorInfo::name).toList();
            StateDictNaming naming = StateDictNaming.detect(names, weightsFile.toString());
            StateDictValidator.validate(weights.tensors(), config.config(), naming).requireOk(weightsFile.toString());
            return new Checkpoint(config, naming, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** The directory's model config, parsed in its layout's format. */
    public ClipModelConfigJson.Parsed readConfig() {
        return layout == Layout.OPEN_CLIP ? ClipModelConfigJson.readOpenClip(configFile)
                : ClipModelConfigJson.readHuggingFace(configFile);
    }
}
