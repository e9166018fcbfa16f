package org.carotspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The files written by {@code tests/python/clip_reference.py} (test resources under
 * {@code clip-reference/}) and the real CLIP vocabulary in the shared folder.
 */
public final class ClipReferenceFixture {

    private ClipReferenceFixture() {
    }

    /** The fixture folder: {@code openclip/}, {@code hf/}, {@code images/}, reference and tokenizer files. */
    public static Path dir() {
        URL url = ClipReferenceFixture.class.getResource("/clip-reference/reference.json");
        if (url == null) {
            throw new IllegalStateException("test resource clip-reference/reference.json missing");
        }
        try {
            return Paths.get(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(dir().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** OpenAI's bpe_simple_vocab_16e6.txt.gz from the shared folder, or a skipped test when it is absent. */
    public static Path openAiVocabulary() {
        String shared = System.getProperty("carot.shared.dir", "../../shared");
        Path p = Paths.get(shared, "clip", "bpe_simple_vocab_16e6.txt.gz");
        Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: CLIP's BPE vocabulary not found at "
                + p.toAbsolutePath() + " (set -Dcarot.shared.dir to the shared folder)");
        return p;
    }

    /** float32 through two towers: equal to 1e-4 relative to the largest magnitude of the expected array. */
    public static void assertClose(org.nd4j.linalg.api.ndarray.INDArray expected,
                                   org.nd4j.linalg.api.ndarray.INDArray actual, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), what);
        double scale = expected.amaxNumber().doubleValue();
        double err = expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .sub(actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue();
        org.junit.jupiter.api.Assertions.assertTrue(err <= 1e-4 * scale,
                what + ": max error " + err + " vs scale " + scale);
    }
}
