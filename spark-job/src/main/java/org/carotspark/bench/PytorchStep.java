package org.carotspark.bench;

import org.carotspark.model.ClipModelConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same CLIP training step in PyTorch on this machine's CPU ({@code bench/pytorch_clip_step.py}), run by the
 * bench in the same session as its DL4J baseline: same shapes, batch and thread count. A machine without
 * PyTorch, or whose PyTorch runs on the reference BLAS, gets the script's skip line.
 */
final class PytorchStep {

    private static final Pattern STEP = Pattern.compile("step_seconds=([0-9.]+)");
    private static final Pattern PEAK = Pattern.compile("peak_mb=(-?[0-9]+)");

    /** The measured step and its peak resident MB (as the bench's DL4J step), and the script's line (or why none). */
    record Result(OptionalDouble stepSeconds, OptionalLong peakMb, String line) {
    }

    private PytorchStep() {
    }

    static Result measure(String python, String script, ClipModelConfig m, int batch, int threads, int steps) {
        if (!Files.isRegularFile(Path.of(script))) {
            return skipped("no " + script + " here (run the bench from the repository root, or set"
                    + " carot.bench.pytorch-script)");
        }
        List<String> cmd = List.of(python, script, "--image-size", "" + m.imageSize(), "--patch-size", "" + m.patchSize(),
                "--vision-width", "" + m.visionWidth(), "--vision-layers", "" + m.visionLayers(),
                "--vision-heads", "" + m.visionHeads(), "--text-width", "" + m.textWidth(),
                "--text-layers", "" + m.textLayers(), "--text-heads", "" + m.textHeads(),
                "--context-length", "" + m.contextLength(), "--vocab-size", "" + m.vocabSize(),
                "--embed-dim", "" + m.embedDim(), "--batch", "" + batch, "--threads", "" + threads,
                "--steps", "" + steps);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (var in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return skipped(python + " " + script + " failed: " + lastLine(out));
            }
            String line = lastLine(out);
            Matcher step = STEP.matcher(line);
            Matcher peak = PEAK.matcher(line);
            return new Result(step.find() ? OptionalDouble.of(Double.parseDouble(step.group(1)))
                    : OptionalDouble.empty(), peak.find() ? OptionalLong.of(Long.parseLong(peak.group(1)))
                    : OptionalLong.empty(), line);
        } catch (IOException e) {
            return skipped("cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return skipped("interrupted");
        }
    }

    private static Result skipped(String why) {
        return new Result(OptionalDouble.empty(), OptionalLong.empty(), "pytorch skipped: " + why);
    }

    private static String lastLine(String text) {
        int nl = text.lastIndexOf('\n');
        return nl < 0 ? text : text.substring(nl + 1);
    }
}
