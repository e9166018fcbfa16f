package org.carotspark.job;

import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.ClipReferenceFixture;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;

/** Test access to a model directory's inference graph, with the BPE vocabulary beside the weights if any. */
public final class PretrainedModelAccess {

    private PretrainedModelAccess() {
    }

    public static ComputationGraph inferenceGraph(Path dir) {
        return open(dir).inferenceGraph();
    }

    public static ClipModelConfig config(Path dir) {
        return open(dir).config();
    }

    private static PretrainedModel open(Path dir) {
        // The open_clip fixture ships no vocabulary: use the Hugging Face folder's, the same model's.
        Path vocab = ClipReferenceFixture.dir().resolve("hf").resolve("vocab.json");
        return PretrainedModel.open(dir.toString(), vocab.toString(), new org.apache.hadoop.conf.Configuration());
    }
}
