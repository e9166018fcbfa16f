package org.carotspark.train.exact;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * An output layer whose loss is ⟨labels, input⟩ and whose output is its input: back-propagation through the
 * layers below starts from the labels as the gradient of the loss with respect to the input. Exact mode puts it
 * in place of the objective, so a worker back-propagates the global batch's loss gradient — computed on the
 * driver from every worker's features — through its own shard only. It owns no weights, so the graph's
 * parameter vector keeps the training graph's layout.
 */
public class GivenGradientOutputLayer extends SameDiffOutputLayer {

    static final String OUTPUT = "givenGradientInput";

    private int width;

    /** For DL4J's JSON deserialisation. */
    public GivenGradientOutputLayer() {
    }

    public GivenGradientOutputLayer(int width) {
        this.width = width;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // None: the layer only hands a given gradient to the layers below.
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, SDVariable labels, Map<String, SDVariable> params) {
        sd.identity(OUTPUT, input);
        SDVariable loss = input.mul(labels).sum();
        sd.setLossVariables(loss);
        return loss;
    }

    @Override
    public String activationsVertexName() {
        return OUTPUT;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(width);
    }

    public int getWidth() { return width; }
    public void setWidth(int width) { this.width = width; }
}
