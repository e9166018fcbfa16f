package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.model.MlpActivation;
import org.carotspark.model.TextTransformerVertex;
import org.carotspark.model.VisionTransformerLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP's parameters in {@link ClipGraphBuilder}'s graph ↔ a state dict in the OpenAI / open_clip or the Hugging
 * Face naming. Conventions differ: the graph stores every linear weight for {@code x·W} ([in, out]) where PyTorch's
 * Linear stores [out, in]; OpenAI packs q, k, v into one {@code in_proj_weight} [3W, W], Hugging Face keeps three;
 * OpenAI's {@code visual.proj} and {@code text_projection} are already [in, out], Hugging Face's projections are
 * Linear layers; gains, biases and embeddings are vectors where the graph keeps [1, W] rows. Tensors are copied one
 * at a time straight into the graph's parameter views, so a checkpoint never has two full copies on the heap.
 */
public final class ClipWeights {

    private ClipWeights() {
    }

    /** How one graph parameter is made of state-dict tensors. */
    enum Kind {
        /** The same values (shapes may differ by leading 1s). */
        SAME,
        /** The PyTorch [out, in] weight of an {@code x·W} parameter. */
        TRANSPOSED,
        /** Hugging Face's q, k, v weights, each transposed, side by side: [W, 3W]. */
        QKV_WEIGHTS,
        /** Hugging Face's q, k, v biases end to end: [3W]. */
        QKV_BIASES
    }

    /** One graph parameter ({@code vertex.param}) and the tensors it comes from. */
    record Binding(String vertex, String param, Kind kind, List<String> tensors) {
    }

    static List<Binding> bindings(ClipModelConfig c, StateDictNaming naming) {
        List<Binding> b = new ArrayList<>();
        boolean openAi = naming == StateDictNaming.OPENAI;
        String v = ClipGraphBuilder.VIT;
        String t = ClipGraphBuilder.TEXT_TRANSFORMER;
        String h = ClipGraphBuilder.CLIP_HEAD;
        if (openAi) {
            b.add(same(ClipGraphBuilder.PATCH_EMBED, "W", "visual.conv1.weight"));
            b.add(same(v, "cls", "visual.class_embedding"));
            b.add(same(v, "pos", "visual.positional_embedding"));
            layerNorm(b, v, "lnpre", "visual.ln_pre");
            for (int i = 0; i < c.visionLayers(); i++) {
                openAiBlock(b, v, i, "visual.transformer.resblocks." + i + ".");
            }
            layerNorm(b, v, "lnpost", "visual.ln_post");
            b.add(same(ClipGraphBuilder.TOKEN_EMBED, "W", "token_embedding.weight"));
            b.add(same(t, "pos", "positional_embedding"));
            for (int i = 0; i < c.textLayers(); i++) {
                openAiBlock(b, t, i, "transformer.resblocks." + i + ".");
            }
            layerNorm(b, t, "lnf", "ln_final");
            b.add(same(h, ClipProjectionHead.VISUAL_PROJECTION, "visual.proj"));
            b.add(same(h, ClipProjectionHead.TEXT_PROJECTION, "text_projection"));
        } else {
            b.add(same(ClipGraphBuilder.PATCH_EMBED, "W", "vision_model.embeddings.patch_embedding.weight"));
            b.add(same(v, "cls", "vision_model.embeddings.class_embedding"));
            b.add(same(v, "pos", "vision_model.embeddings.position_embedding.weight"));
            layerNorm(b, v, "lnpre", "vision_model.pre_layrnorm");
            for (int i = 0; i < c.visionLayers(); i++) {
                hfBlock(b, v, i, "vision_model.encoder.layers." + i + ".");
            }
            layerNorm(b, v, "lnpost", "vision_model.post_layernorm");
            b.add(same(ClipGraphBuilder.TOKEN_EMBED, "W", "text_model.embeddings.token_embedding.weight"));
            b.add(same(t, "pos", "text_model.embeddings.position_embedding.weight"));
            for (int i = 0; i < c.textLayers(); i++) {
                hfBlock(b, t, i, "text_model.encoder.layers." + i + ".");
            }
            layerNorm(b, t, "lnf", "text_model.final_layer_norm");
            b.add(new Binding(h, ClipProjectionHead.VISUAL_PROJECTION, Kind.TRANSPOSED, List.of("visual_projection.weight")));
            b.add(new Binding(h, ClipProjectionHead.TEXT_PROJECTION, Kind.TRANSPOSED, List.of("text_projection.weight")));
        }
        b.add(same(h, ClipProjectionHead.LOGIT_SCALE, "logit_scale"));
        return b;
    }

    private static Binding same(String vertex, String param, String tensor) {
        return new Binding(vertex, param, Kind.SAME, List.of(tensor));
    }

    private static void layerNorm(List<Binding> b, String vertex, String prefix, String tensorPrefix) {
        b.add(same(vertex, prefix + "g", tensorPrefix + ".weight"));
        b.add(same(vertex, prefix + "b", tensorPrefix + ".bias"));
    }

    private static void linear(List<Binding> b, String vertex, String prefix, String tensorPrefix) {
        b.add(new Binding(vertex, prefix + "W", Kind.TRANSPOSED, List.of(tensorPrefix + ".weight")));
        b.add(same(vertex, prefix + "b", tensorPrefix + ".bias"));
    }

    private static void openAiBlock(List<Binding> b, String vertex, int i, String p) {
        String blk = "b" + i;
        layerNorm(b, vertex, blk + "ln1", p + "ln_1");
        b.add(new Binding(vertex, blk + "qkvW", Kind.TRANSPOSED, List.of(p + "attn.in_proj_weight")));
        b.add(same(vertex, blk + "qkvb", p + "attn.in_proj_bias"));
        linear(b, vertex, blk + "out", p + "attn.out_proj");
        layerNorm(b, vertex, blk + "ln2", p + "ln_2");
        linear(b, vertex, blk + "fc", p + "mlp.c_fc");
        linear(b, vertex, blk + "proj", p + "mlp.c_proj");
    }

    private static void hfBlock(List<Binding> b, String vertex, int i, String p) {
        String blk = "b" + i;
        String attn = p + "self_attn.";
        layerNorm(b, vertex, blk + "ln1", p + "layer_norm1");
        b.add(new Binding(vertex, blk + "qkvW", Kind.QKV_WEIGHTS,
                List.of(attn + "q_proj.weight", attn + "k_proj.weight", attn + "v_proj.weight")));
        b.add(new Binding(vertex, blk + "qkvb", Kind.QKV_BIASES,
                List.of(attn + "q_proj.bias", attn + "k_proj.bias", attn + "v_proj.bias")));
        linear(b, vertex, blk + "out", attn + "out_proj");
        layerNorm(b, vertex, blk + "ln2", p + "layer_norm2");
        linear(b, vertex, blk + "fc", p + "mlp.fc1");
        linear(b, vertex, blk + "proj", p + "mlp.fc2");
    }

    /**
     * Copies every tensor of an opened checkpoint into {@code graph}, built with the checkpoint's config. The
     * graph's own logit scale is replaced by the checkpoint's (e.g. pretrained CLIP's 100), never a default.
     */
    public static void load(ComputationGraph graph, ClipModelDirectory.Checkpoint checkpoint) {
        ClipModelConfig c = checkpoint.config().config();
        List<MlpActivation> built = activations(graph);
        if (built.stream().anyMatch(a -> a != c.activation())) {
            throw new IllegalStateException("the graph's MLP activations " + built + " are not the checkpoint's "
                    + c.activation() + ": build it from the checkpoint's config");
        }
        long copied = 0;
        for (Binding b : bindings(c, checkpoint.naming())) {
            INDArray view = view(graph, b);
            INDArray value = switch (b.kind()) {
                case SAME -> read(checkpoint, b.tensors().get(0)).reshape('c', view.shape());
                case TRANSPOSED -> read(checkpoint, b.tensors().get(0)).transpose();
                case QKV_WEIGHTS -> Nd4j.hstack(b.tensors().stream().map(n -> read(checkpoint, n).transpose())
                        .toArray(INDArray[]::new));
                case QKV_BIASES -> Nd4j.concat(0, b.tensors().stream().map(n -> read(checkpoint, n).reshape(-1))
                        .toArray(INDArray[]::new)).reshape(view.shape());
            };
            if (!java.util.Arrays.equals(value.shape(), view.shape())) {
                throw new UserFacingException(checkpoint.weights().file() + ": " + b.tensors() + " gives shape "
                        + java.util.Arrays.toString(value.shape()) + " for " + b.vertex() + "." + b.param()
                        + " of shape " + java.util.Arrays.toString(view.shape()));
            }
            view.assign(value.castTo(view.dataType()));
            copied += view.length();
        }
        if (copied != graph.params().length()) {
            throw new IllegalStateException("copied " + copied + " of the graph's " + graph.params().length()
                    + " parameters: a parameter has no tensor");
        }
    }

    /** The MLP activation of each transformer tower in {@code graph}. */
    static List<MlpActivation> activations(ComputationGraph graph) {
        List<MlpActivation> out = new java.util.ArrayList<>();
        graph.getConfiguration().getVertices().values().forEach(v -> {
            if (v instanceof TextTransformerVertex text) {
                out.add(text.getActivation());
            } else if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex layer
                    && layer.getLayerConf().getLayer() instanceof VisionTransformerLayer vit) {
                out.add(vit.getActivation());
            }
        });
        return out;
    }

    /** A tensor as a c-ordered FLOAT array of its own shape. */
    private static INDArray read(ClipModelDirectory.Checkpoint checkpoint, String name) {
        long[] shape = checkpoint.weights().tensor(name).shape();
        float[] values = checkpoint.weights().readFloats(name);
        return shape.length == 0 ? Nd4j.scalar(values[0]).reshape(1, 1) : Nd4j.create(values, shape, 'c');
    }

    private static INDArray view(ComputationGraph graph, Binding b) {
        INDArray view = graph.getVertex(b.vertex()).paramTable(false).get(b.param());
        if (view == null) {
            throw new IllegalStateException("the graph has no parameter " + b.vertex() + "." + b.param());
        }
        return view;
    }

    /**
     * Writes {@code graph} as an open_clip model directory — {@code open_clip_config.json} and
     * {@code open_clip_model.safetensors} in the OpenAI naming, F32 — that open_clip's {@code create_model} +
     * {@code load_state_dict} takes. Tensors are produced one at a time as the file is written.
     */
    public static void exportOpenClip(ComputationGraph graph, ClipModelConfig c, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ClipModelDirectory.Layout.OPEN_CLIP.configName()),
                    ClipModelConfigJson.toOpenClipHubJson(c, c.activation()));
        } catch (IOException e) {
            throw UserFacingException.because("cannot write the model directory " + dir, e);
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (ClipTensorLayout.Entry e : ClipTensorLayout.expected(c, StateDictNaming.OPENAI)) {
            shapes.put(e.name(), e.shape());
        }
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (Binding b : bindings(c, StateDictNaming.OPENAI)) {
            String name = b.tensors().get(0);
            long[] shape = shapes.get(name);
            writer.add(name, shape, () -> {
                INDArray view = view(graph, b);
                INDArray v = b.kind() == Kind.TRANSPOSED ? view.transpose() : view;
                return v.castTo(DataType.FLOAT).dup('c').data().asFloat();
            });
        }
        writer.write(dir.resolve(ClipModelDirectory.Layout.OPEN_CLIP.weightsName()));
    }
}
