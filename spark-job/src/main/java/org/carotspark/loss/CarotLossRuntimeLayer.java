package org.carotspark.loss;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.Map;

/**
 * The runtime layer of {@link CarotLossLayer}: DL4J's SameDiff output layer, plus the named
 * terms of each score it computes. DL4J asks the layer for one number; the terms are read from the
 * same SameDiff graph right after, on the same input and labels.
 */
final class CarotLossRuntimeLayer extends SameDiffOutputLayer implements LossTermsSource {

    private volatile LossTerms lastTerms;

    CarotLossRuntimeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        double score = super.computeScore(fullNetRegTerm, training, workspaceMgr);
        lastTerms = evaluateTerms();
        return score;
    }

    private LossTerms evaluateTerms() {
        CarotLossLayer conf = (CarotLossLayer) layerConf();
        Map<String, INDArray> placeholders = new HashMap<>();
        placeholders.put(INPUT_KEY, input);
        placeholders.put(LABELS_KEY, labels);
        String[] variables = conf.termVariables();
        Map<String, INDArray> out = sameDiff.output(placeholders, variables);
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        double[] values = new double[variables.length];
        for (int i = 0; i < variables.length; i++) {
            values[i] = out.get(variables[i]).getDouble(0);
        }
        return LossTerms.of(conf.termNames(), values);
    }

    @Override
    public LossTerms lastTerms() {
        return lastTerms;
    }
}
