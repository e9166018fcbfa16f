package org.carotspark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.carotspark.eval.ZeroShotHead;
import org.carotspark.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/carot zeroshot-head --model DIR --classnames FILE --templates FILE --out FILE [--vocab FILE]
 * [--batch-size N]}: the zero-shot classifier — per class, the mean of the L2-normalised text features of its
 * prompts (one template per line, {@code {}} marks the class name), re-normalised. {@code FILE.safetensors}
 * holds the [classes, dim] tensor {@code zeroshot_weights} (the logit scale in the metadata); any other name
 * gets JSON with the class names, the logit scale and the weights.
 */
public final class ZeroShotHeadCommand {

    private ZeroShotHeadCommand() {
    }

    public static void main(String[] args) {
        MainRunner.run("zeroshot-head", () -> run(args));
    }

    static void run(String[] args) throws IOException {
        CommandArgs a = new CommandArgs("zeroshot-head", args,
                Set.of("model", "classnames", "templates", "out", "vocab", "batch-size"));
        Path out = a.outputFile("out");
        PretrainedModel model = PretrainedModel.open(a.required("model"), a.optional("vocab", ""),
                new Configuration());
        List<String> classNames = lines(Path.of(a.required("classnames")));
        List<String> templates = lines(Path.of(a.required("templates")));
        if (templates.stream().anyMatch(t -> !t.contains("{}"))) {
            throw new UserFacingException(a.required("templates") + ": every template needs {} for the class name");
        }
        ZeroShotHead head = ZeroShotHead.build(model.inferenceGraph(), model.tokenizer(), classNames, templates,
                Integer.parseInt(a.optional("batch-size", "256")));
        write(out, head, classNames);
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserFacingException("no file " + file);
        }
        List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            throw new UserFacingException(file + " is empty");
        }
        return lines;
    }

    static void write(Path out, ZeroShotHead head, List<String> classNames) throws IOException {
        if (out.getFileName().toString().endsWith(".safetensors")) {
            new SafetensorsWriter()
                    .metadata("logit_scale", String.format(Locale.ROOT, "%.9g", head.logitScale()))
                    .add("zeroshot_weights", new long[] {head.numClasses(), head.dim()}, head.classEmbeddings())
                    .write(out);
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("classnames", classNames);
        json.put("logit_scale", head.logitScale());
        float[] e = head.classEmbeddings();
        float[][] weights = new float[head.numClasses()][head.dim()];
        for (int c = 0; c < weights.length; c++) {
            System.arraycopy(e, c * head.dim(), weights[c], 0, head.dim());
        }
        json.put("weights", weights);
        Files.writeString(out, new ObjectMapper().writeValueAsString(json));
    }
}
