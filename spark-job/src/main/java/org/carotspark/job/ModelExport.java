package org.carotspark.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.LocalFiles;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.weights.ClipWeights;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;

/**
 * A trained method's student (and EMA teacher) as open_clip model directories — OpenAI naming, safetensors,
 * {@code open_clip_config.json}, and the tokenizer's vocabulary when the run started from a checkpoint — under
 * {@code <output-dir>/models/<method>/student|teacher}, on any Hadoop file system, so PyTorch users take them
 * with {@code open_clip.create_model} + {@code load_state_dict}.
 */
final class ModelExport {

    private ModelExport() {
    }

    static void export(ComputationGraph graph, ClipModelConfig config, PretrainedModel pretrained, Path target,
                       Configuration hadoop) {
        java.nio.file.Path local = null;
        try {
            local = Files.createTempDirectory("carot-export-");
            java.nio.file.Path dir = local.resolve(target.getName());
            ClipWeights.exportOpenClip(graph, config, dir);
            if (pretrained != null) {
                pretrained.copyVocabulary(dir);
            }
            FileSystem fs = target.getFileSystem(hadoop);
            fs.delete(target, true);
            fs.copyFromLocalFile(true, true, new Path(dir.toUri()), target);
        } catch (IOException e) {
            throw UserFacingException.because("cannot export the model to " + target, e);
        } finally {
            if (local != null) {
                try {
                    LocalFiles.deleteRecursively(local);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }
}
