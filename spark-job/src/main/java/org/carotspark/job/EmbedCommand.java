package org.carotspark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.carotspark.image.ClipEvalTransform;
import org.carotspark.image.ImageDecodeException;
import org.carotspark.model.ClipEncoders;
import org.carotspark.text.TokenIds;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bin/carot embed --model DIR --images DIR --captions FILE --out FILE.json [--vocab FILE]}: a model's
 * features and logits for images (every readable image in the directory, in file-name order, through CLIP's
 * evaluation transform) and captions (one per line), as JSON — for comparing with any other implementation.
 * Features are the towers' projected outputs, unnormalised; logits = exp(logit_scale) · f̂ · ĝᵀ.
 */
public final class EmbedCommand {

    private EmbedCommand() {
    }

    public static void main(String[] args) {
        MainRunner.run("embed", () -> run(args));
    }

    static void run(String[] args) throws IOException {
        CommandArgs a = new CommandArgs("embed", args, Set.of("model", "images", "captions", "out", "vocab"));
        Path out = a.outputFile("out");
        Map<String, Object> json = embed(Path.of(a.required("model")), a.optional("vocab", ""),
                Path.of(a.required("images")), Path.of(a.required("captions")));
        Files.writeString(out, new ObjectMapper().writeValueAsString(json));
    }

    static Map<String, Object> embed(Path model, String vocab, Path imageDir, Path captionFile) throws IOException {
        PretrainedModel pretrained = PretrainedModel.open(model.toString(), vocab, new Configuration());
        ComputationGraph g = pretrained.inferenceGraph();
        List<String> captions = Files.readAllLines(captionFile).stream().filter(l -> !l.isBlank()).toList();
        INDArray images = images(imageDir, new ClipEvalTransform(pretrained.config().imageSize()));
        INDArray ids = TokenIds.batch(pretrained.tokenizer(), captions);
        INDArray imageFeatures = ClipEncoders.encodeImage(g, images);
        INDArray textFeatures = ClipEncoders.encodeText(g, ids);
        INDArray logits = unit(imageFeatures).mmul(unit(textFeatures).transpose()).muli(ClipEncoders.logitScale(g));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("image_features", imageFeatures.toDoubleMatrix());
        out.put("text_features", textFeatures.toDoubleMatrix());
        out.put("logits_per_image", logits.toDoubleMatrix());
        out.put("token_ids", ids.toIntMatrix());
        return out;
    }

    private static INDArray unit(INDArray x) {
        return x.div(x.norm2(1).reshape(x.size(0), 1));
    }

    private static INDArray images(Path dir, ClipEvalTransform transform) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new UserFacingException("no images in " + dir);
        }
        int size = transform.size();
        float[] data = new float[files.size() * 3 * size * size];
        for (int i = 0; i < files.size(); i++) {
            try {
                float[] chw = transform.apply(Files.readAllBytes(files.get(i)));
                System.arraycopy(chw, 0, data, i * chw.length, chw.length);
            } catch (ImageDecodeException e) {
                throw new UserFacingException(files.get(i) + " is not a readable image: " + e.getMessage(), e);
            }
        }
        return Nd4j.create(data, new long[] {files.size(), 3, size, size}, 'c');
    }
}
