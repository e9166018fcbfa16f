package org.carotspark.loss;

import org.carotspark.model.ClipGraphBuilder;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ‖W_vᵀW_v − I‖_F of a graph's visual projection, computed on the driver from the parameters
 * alone, so the progress log can show the OC term exactly without another forward pass.
 */
public final class OrthogonalityTerm {

    private OrthogonalityTerm() {
    }

    public static double of(ComputationGraph graph) {
        INDArray wv = graph.getLayer(ClipGraphBuilder.LOSS).getParam(CarotLossLayer.PARAM_VISUAL_PROJ)
                .castTo(DataType.DOUBLE);
        INDArray gram = wv.transpose().mmul(wv);
        return gram.subi(Nd4j.eye(gram.rows()).castTo(DataType.DOUBLE)).norm2Number().doubleValue();
    }
}
