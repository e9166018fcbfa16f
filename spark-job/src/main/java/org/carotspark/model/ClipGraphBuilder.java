package org.carotspark.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds CLIP, with OpenAI CLIP's architecture so real weights can be loaded into it, and a training
 * objective's output layer on top as one DL4J {@link ComputationGraph}. Every CLIP parameter belongs
 * to the model's vertices; the objective owns none.
 *
 * <pre>
 *   image [B,3,S,S] → patchEmbed (conv k=s=P, no bias) → vit (VisionTransformerLayer) ─┐
 *   text [B,L] → tokenEmbed (EmbeddingSequenceLayer, NWC) ─┐                          ├ features (merge)
 *   textIds [B,L] ──────────────────────────────────────── textTransformer (vertex) ──┘        │
 *                                      clipHead (ClipProjectionHead: W_v, W_t, logit scale) ←─┘
 *                                           → objective (the ClipLoss's output layer)
 * </pre>
 *
 * <p>Weight decay: DL4J's {@link WeightDecay} with {@code applyLR = true} is decoupled and scaled by
 * the (scheduled) learning rate, i.e. AdamW's {@code w -= lr·wd·w}. {@link WeightDecayPolicy} chooses
 * what it reaches: every parameter (the FLYP/CaRot reference), or weight matrices only — the patch
 * convolution, every qkv/out/fc/proj matrix and the projections W_v, W_t, not LayerNorm gains and
 * biases, linear biases, the class token, the positional embeddings, the token table or the logit
 * scale. Custom layers declare the non-matrix parameters as DL4J "bias" parameters for this.
 * With weight decay &gt; 0 DL4J's {@code score()} also holds a regularisation score ½·wd·‖W‖²/B, and
 * only for its own patch convolution (SameDiff layers report none): compare losses at wd = 0.
 *
 * <p>DL4J workspaces are off for this graph: with them, a second backward pass through the SameDiff
 * vertex read a released axis array ("Axis array [-19…] contains values above array rank").
 * Weight layout for loading OpenAI/open_clip checkpoints: every linear weight here is {@code x·W},
 * i.e. PyTorch's {@code weight} transposed ({@code in_proj_weight [3W,W]} → {@code qkvW [W,3W]});
 * {@code visual.proj} and {@code text_projection} are already {@code x·W}; the conv weight and the
 * token table have PyTorch's layout.
 */
public final class ClipGraphBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ClipGraphBuilder.class);

    public static final String INPUT_IMAGE = "image";
    public static final String INPUT_TEXT = "text";
    public static final String INPUT_TEXT_IDS = "textIds";
    public static final String PATCH_EMBED = "patchEmbed";
    public static final String VIT = "vit";
    public static final String TOKEN_EMBED = "tokenEmbed";
    public static final String TEXT_TRANSFORMER = "textTransformer";
    public static final String FEATURES = "features";
    public static final String CLIP_HEAD = "clipHead";
    public static final String OBJECTIVE = "objective";
    /** The classifier graph's normalised image features and its linear head. */
    public static final String IMAGE_HEAD = "imageHead";
    public static final String CLASSIFIER = "classifier";

    private ClipGraphBuilder() {
    }

    /** The initialised graph. */
    public static ComputationGraph build(ClipModelConfig m, ClipLoss objective, IUpdater updater,
                                         WeightDecayPolicy weightDecay, DataType dtype) {
        ComputationGraph g = new ComputationGraph(configuration(m, objective, updater, weightDecay, dtype));
        g.init();
        LOG.info("CLIP graph {}: {} parameters, objective {}, {}", m, g.params().length(), objective, dtype);
        return g;
    }

    public static ComputationGraphConfiguration configuration(ClipModelConfig m, ClipLoss objective,
                                                              IUpdater updater, WeightDecayPolicy weightDecay,
                                                              DataType dtype) {
        // Measure DL4J's SameDiff gradient bug here, before any graph is instantiated. Only the layer factor: the
        // text tower trains through TextTransformerRuntime, so no SameDiff vertex runs in a CLIP graph.
        GradientScaleGuard.layerFactor();

        long seed = m.seed();
        ComputationGraphConfiguration.GraphBuilder b = base(m, updater, weightDecay, dtype)
                .addInputs(INPUT_IMAGE, INPUT_TEXT, INPUT_TEXT_IDS);
        addImageTower(b, m);
        b.addLayer(TOKEN_EMBED, new EmbeddingSequenceLayer.Builder()
                        .nIn(m.vocabSize()).nOut(m.textWidth())
                        .inputLength(m.contextLength())
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .outputDataFormat(RNNFormat.NWC)
                        .weightInit(new SeededNormalInit(0.02, seed, TOKEN_EMBED))
                        .build(), INPUT_TEXT)
                .addVertex(TEXT_TRANSFORMER, new TextTransformerVertex(m.textWidth(), m.textLayers(), m.textHeads(),
                        m.contextLength(), seed, m.activation()), TOKEN_EMBED, INPUT_TEXT_IDS)
                .addVertex(FEATURES, new MergeVertex(), VIT, TEXT_TRANSFORMER)
                .addLayer(CLIP_HEAD, new ClipProjectionHead(m, objective.penalties()), FEATURES)
                .addLayer(OBJECTIVE, objective.outputLayer(m.embedDim()), CLIP_HEAD)
                .setOutputs(OBJECTIVE);
        // No setInputTypes: it would overwrite the embedding layer's nIn (vocabulary) with the context length.
        ComputationGraphConfiguration conf = b.build();
        // DL4J M2.1 gives all its own layers ONE shared list of the global regularisations and appends the
        // global weight decay to it once per layer: with two such layers the conv and the embedding were both
        // decayed twice (2 × wd). Give each its own list: the conv once, the token table only when every
        // parameter is decayed.
        setRegularization(conf, PATCH_EMBED, weightDecay.coefficient());
        setRegularization(conf, TOKEN_EMBED, weightDecay.nonMatrixCoefficient());
        return conf;
    }

    /**
     * CLIP's image tower with a linear classifier on its normalised features, for the cross-entropy baselines
     * (FT, LP-FT): image → patchEmbed → vit → {@link ClipImageProjection} → classifier (softmax cross-entropy,
     * its weights [D, classes] typically the zero-shot head times the logit scale; with {@code headBias} a bias
     * initialised to 0, as the reference's ClassificationHead, decayed as the policy decays non-matrices). The
     * tower's parameters have the CLIP graph's names. With {@code towerFrozen} only the classifier trains (a linear
     * probe).
     */
    public static ComputationGraphConfiguration classifierConfiguration(ClipModelConfig m, int classes,
                                                                        boolean headBias, IUpdater updater,
                                                                        WeightDecayPolicy weightDecay,
                                                                        DataType dtype, boolean towerFrozen) {
        GradientScaleGuard.layerFactor();
        ComputationGraphConfiguration.GraphBuilder b = base(m, updater, weightDecay, dtype).addInputs(INPUT_IMAGE);
        addImageTower(b, m);
        b.addLayer(IMAGE_HEAD, new ClipImageProjection(m), VIT)
                .addLayer(CLASSIFIER, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(m.embedDim()).nOut(classes).hasBias(headBias).biasInit(0.0).activation(Activation.SOFTMAX)
                        .weightInit(new SeededNormalInit(Math.pow(m.embedDim(), -0.5), m.seed(), CLASSIFIER))
                        .build(), IMAGE_HEAD)
                .setOutputs(CLASSIFIER);
        ComputationGraphConfiguration conf = b.build();
        setRegularization(conf, PATCH_EMBED, towerFrozen ? 0 : weightDecay.coefficient());
        setRegularization(conf, CLASSIFIER, weightDecay.coefficient());
        if (headBias && weightDecay.nonMatrixCoefficient() > 0) {
            ((BaseLayer) ((LayerVertex) conf.getVertices().get(CLASSIFIER)).getLayerConf().getLayer())
                    .setRegularizationBias(new ArrayList<>(List.of(new WeightDecay(weightDecay.nonMatrixCoefficient(),
                            true))));
        }
        if (towerFrozen) {
            for (String layer : List.of(PATCH_EMBED, VIT, IMAGE_HEAD)) {
                freeze(((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer());
            }
        }
        return conf;
    }

    /**
     * No updates and no decay. Not DL4J's {@code NoOp} updater: that passes the raw gradient through as the update
     * (a step of size 1); plain SGD at rate 0 makes every update zero.
     */
    private static void freeze(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof BaseLayer base) {
            base.setIUpdater(new Sgd(0.0));
            base.setBiasUpdater(new Sgd(0.0));
            base.setRegularization(new ArrayList<>());
            base.setRegularizationBias(new ArrayList<>());
        } else if (layer instanceof AbstractSameDiffLayer sameDiff) {
            sameDiff.setUpdater(new Sgd(0.0));
            sameDiff.setBiasUpdater(new Sgd(0.0));
            sameDiff.setRegularization(new ArrayList<>());
            sameDiff.setRegularizationBias(new ArrayList<>());
        } else {
            throw new IllegalStateException("cannot freeze " + layer);
        }
    }

    private static ComputationGraphConfiguration.GraphBuilder base(ClipModelConfig m, IUpdater updater,
                                                                   WeightDecayPolicy weightDecay, DataType dtype) {
        return new NeuralNetConfiguration.Builder()
                .seed(m.seed())
                .dataType(dtype)
                .updater(updater)
                .weightDecay(weightDecay.coefficient(), true)
                .weightDecayBias(weightDecay.nonMatrixCoefficient(), true)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder();
    }

    /** image → patchEmbed (conv k = s = P, no bias) → vit. */
    private static void addImageTower(ComputationGraphConfiguration.GraphBuilder b, ClipModelConfig m) {
        int grid = m.imageSize() / m.patchSize();
        // CLIP's conv1 uses PyTorch's default init; N(0, fanIn^-1/2) has the same scale and is seeded.
        double convStd = Math.pow(3.0 * m.patchSize() * m.patchSize(), -0.5);
        b.addLayer(PATCH_EMBED, new ConvolutionLayer.Builder(m.patchSize(), m.patchSize())
                        .stride(m.patchSize(), m.patchSize())
                        .nIn(3).nOut(m.visionWidth())
                        .hasBias(false)
                        .activation(Activation.IDENTITY)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .dataFormat(CNN2DFormat.NCHW)
                        .weightInit(new SeededNormalInit(convStd, m.seed(), PATCH_EMBED))
                        .build(), INPUT_IMAGE)
                .addLayer(VIT, new VisionTransformerLayer(m.visionWidth(), m.visionLayers(), m.visionHeads(), grid,
                        m.seed(), m.activation()), PATCH_EMBED);
    }

    private static void setRegularization(ComputationGraphConfiguration conf, String layer, double weightDecay) {
        BaseLayer l = (BaseLayer) ((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer();
        List<Regularization> regs = new ArrayList<>();
        if (weightDecay > 0) {
            regs.add(new WeightDecay(weightDecay, true));
        }
        l.setRegularization(regs);
        l.setRegularizationBias(new ArrayList<>());
    }
}
