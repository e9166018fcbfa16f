package org.carotspark.train;

import org.carotspark.loss.CarotLossLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.loss.LossTermsSource;
import org.carotspark.model.ClipGraphBuilder;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact mode on the driver: the student's own objective layer alone, applied to the whole global batch's head
 * outputs. It gives the teacher's soft targets over all the batch's pairs, the loss terms, and the gradient of
 * the loss (B·L, as DL4J back-propagates an output layer) with respect to every pair's head output.
 */
public final class GlobalBatchLoss {

    private static final String HEAD_INPUT = "head";

    /** The loss terms of a global batch and the gradient of its loss with respect to each head output row. */
    public record Evaluation(LossTerms terms, INDArray headGradient) {
    }

    private final ComputationGraph graph;

    public GlobalBatchLoss(ComputationGraph student) {
        this(CarotLossLayer.of(student), student.getConfiguration().getDataType());
    }

    /** The objective {@code objectiveLayer} (a training graph's, copied) in {@code dataType}. */
    public GlobalBatchLoss(CarotLossLayer objectiveLayer, DataType dataType) {
        CarotLossLayer objective = (CarotLossLayer) objectiveLayer.clone();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .graphBuilder()
                .addInputs(HEAD_INPUT)
                .addLayer(ClipGraphBuilder.OBJECTIVE, objective, HEAD_INPUT)
                .setOutputs(ClipGraphBuilder.OBJECTIVE)
                .build();
        this.graph = new ComputationGraph(conf);
        graph.init();
    }

    /** The teacher's [P_img→txt | P_txt→img] over the whole batch, from its head outputs: the student's labels. */
    public INDArray teacherTargets(INDArray teacherHeads) {
        return graph.outputSingle(false, teacherHeads);
    }

    public Evaluation evaluate(INDArray heads, INDArray targets) {
        Layer layer = graph.getLayer(ClipGraphBuilder.OBJECTIVE);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(heads, noWorkspaces);
        ((IOutputLayer) layer).setLabels(targets);
        ((IOutputLayer) layer).computeScore(0, true, noWorkspaces);
        LossTerms terms = ((LossTermsSource) layer).lastTerms();
        INDArray gradient = layer.backpropGradient(null, noWorkspaces).getSecond();
        layer.clear();
        return new Evaluation(terms, gradient);
    }
}
