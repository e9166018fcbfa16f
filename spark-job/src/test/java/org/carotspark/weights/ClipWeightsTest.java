package org.carotspark.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.job.PretrainedModelAccess;
import org.carotspark.model.ClipEncoders;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.model.MlpActivation;
import org.carotspark.testing.ClipReferenceFixture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint in either naming, loaded into the graph, computes what the independent PyTorch reference
 * (tests/python/clip_reference.py) computed; an exported model loads back bit for bit.
 */
class ClipWeightsTest {

    private static final Path DIR = ClipReferenceFixture.dir();

    private static JsonNode reference() throws Exception {
        return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
    }

    private static INDArray tensor(String name) {
        return tensor("reference.safetensors", name);
    }

    private static INDArray tensor(String file, String name) {
        try (SafetensorsReader r = SafetensorsReader.open(DIR.resolve(file))) {
            return Nd4j.create(r.readFloats(name), r.tensor(name).shape(), 'c');
        }
    }

    private static void assertMatchesTheReference(ComputationGraph g, String naming) throws Exception {
        assertMatchesTheReference(g, naming, "reference.safetensors");
    }

    /** {@code outputs}: the reference's features and logits of this model, for reference.safetensors' inputs. */
    private static void assertMatchesTheReference(ComputationGraph g, String naming, String outputs) throws Exception {
        JsonNode ref = reference();
        INDArray pixels = tensor("pixel_values");
        int[][] ids = new ObjectMapper().convertValue(ref.get("token_ids"), int[][].class);
        INDArray idArray = Nd4j.createFromArray(ids).castTo(DataType.FLOAT);
        INDArray image = ClipEncoders.encodeImage(g, pixels);
        INDArray text = ClipEncoders.encodeText(g, idArray);
        ClipReferenceFixture.assertClose(tensor(outputs, "image_features"), image, naming + " image features");
        ClipReferenceFixture.assertClose(tensor(outputs, "text_features"), text, naming + " text features");
        INDArray f = image.div(image.norm2(1).reshape(-1, 1));
        INDArray t = text.div(text.norm2(1).reshape(-1, 1));
        ClipReferenceFixture.assertClose(tensor(outputs, "logits_per_image"),
                f.mmul(t.transpose()).muli(ClipEncoders.logitScale(g)), naming + " logits");
        // The checkpoint's own logit scale, not the config's initial value.
        assertEquals(ref.get("logit_scale").asDouble(),
                ClipEncoders.headParam(g, ClipProjectionHead.LOGIT_SCALE).getDouble(0), 0.0);
    }

    @Test
    void bothNamingsComputeWhatPyTorchComputed() throws Exception {
        assertMatchesTheReference(PretrainedModelAccess.inferenceGraph(DIR.resolve("openclip")), "open_clip");
        assertMatchesTheReference(PretrainedModelAccess.inferenceGraph(DIR.resolve("hf")), "Hugging Face");
    }

    @Test
    void anExportedModelLoadsBackBitForBitAndKeepsTheTensors(@TempDir Path tmp) throws Exception {
        ComputationGraph original = PretrainedModelAccess.inferenceGraph(DIR.resolve("hf"));
        Path out = tmp.resolve("exported");
        ClipWeights.exportOpenClip(original, PretrainedModelAccess.config(DIR.resolve("hf")), out);
        ComputationGraph back = PretrainedModelAccess.inferenceGraph(out);
        assertEquals(original.params(), back.params(), "load -> save -> load is bit-identical");
        // The export of an OpenAI-named checkpoint has the original's tensors, value for value.
        ClipWeights.exportOpenClip(PretrainedModelAccess.inferenceGraph(DIR.resolve("openclip")),
                PretrainedModelAccess.config(DIR.resolve("openclip")), tmp.resolve("again"));
        try (SafetensorsReader a = SafetensorsReader.open(DIR.resolve("openclip/open_clip_model.safetensors"));
             SafetensorsReader b = SafetensorsReader.open(tmp.resolve("again/open_clip_model.safetensors"))) {
            assertEquals(a.tensors().size(), b.tensors().size());
            for (TensorInfo t : a.tensors()) {
                assertArrayEquals(a.readFloats(t.name()), b.readFloats(t.name()), 0f, t.name());
                assertArrayEquals(t.shape(), b.tensor(t.name()).shape(), t.name());
            }
        }
        assertTrue(Files.readString(out.resolve("open_clip_config.json")).contains("\"quick_gelu\""));
    }

    /** open_clip's own models (no quick_gelu): nn.GELU's exact erf form in both towers, as PyTorch computed it. */
    @Test
    void anOpenClipGeluModelComputesWhatPyTorchComputed() throws Exception {
        assertEquals(MlpActivation.GELU, PretrainedModelAccess.config(DIR.resolve("openclip-gelu")).activation());
        ComputationGraph gelu = PretrainedModelAccess.inferenceGraph(DIR.resolve("openclip-gelu"));
        assertEquals(List.of(MlpActivation.GELU, MlpActivation.GELU), ClipWeights.activations(gelu), "both towers");
        ComputationGraph fromJson = new ComputationGraph(org.deeplearning4j.nn.conf.ComputationGraphConfiguration
                .fromJson(gelu.getConfiguration().toJson()));
        assertEquals(List.of(MlpActivation.GELU, MlpActivation.GELU), ClipWeights.activations(fromJson),
                "the configuration executors build from keeps it");
        assertMatchesTheReference(gelu, "open_clip GELU", "reference-gelu.safetensors");
        // the same tensors under QuickGELU miss the GELU features by far more than the parity tolerance (1e-4)
        INDArray quick = ClipEncoders.encodeImage(PretrainedModelAccess.inferenceGraph(DIR.resolve("openclip")),
                tensor("pixel_values"));
        INDArray expected = tensor("reference-gelu.safetensors", "image_features");
        double gap = expected.sub(quick).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        assertTrue(gap > 1e-3, "QuickGELU vs GELU features differ by " + gap + " only");
    }

    @Test
    void aGeluModelIsExportedWithoutQuickGeluAndLoadsBackBitForBit(@TempDir Path tmp) throws Exception {
        ComputationGraph original = PretrainedModelAccess.inferenceGraph(DIR.resolve("openclip-gelu"));
        Path out = tmp.resolve("exported");
        ClipWeights.exportOpenClip(original, PretrainedModelAccess.config(DIR.resolve("openclip-gelu")), out);
        assertFalse(Files.readString(out.resolve("open_clip_config.json")).contains("quick_gelu"),
                "open_clip reads a missing quick_gelu as nn.GELU");
        assertEquals(MlpActivation.GELU, PretrainedModelAccess.config(out).activation());
        ComputationGraph back = PretrainedModelAccess.inferenceGraph(out);
        assertEquals(original.params(), back.params(), "load -> save -> load is bit-identical");
        assertEquals(ClipWeights.activations(original), ClipWeights.activations(back));
        assertMatchesTheReference(back, "exported GELU model", "reference-gelu.safetensors");
    }

    @Test
    void aTruncatedCheckpointIsRefusedNamingTheFileBeforeAnyTensorIsCopied(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cut"));
        Files.copy(DIR.resolve("openclip/open_clip_config.json"), dir.resolve("open_clip_config.json"));
        byte[] bytes = Files.readAllBytes(DIR.resolve("openclip/open_clip_model.safetensors"));
        Files.write(dir.resolve("open_clip_model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Exception e = assertThrows(RuntimeException.class, () -> PretrainedModelAccess.inferenceGraph(dir));
        assertTrue(e.getMessage().contains("open_clip_model.safetensors"), e.getMessage());
    }
}
