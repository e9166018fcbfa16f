package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pre-LN residual block's parameters (or their gradient views, same shapes): LayerNorm gains and biases
 * {@code [1, W]}, packed q|k|v {@code [W, 3W]}, out {@code [W, W]}, fc {@code [W, 4W]}, proj {@code [4W, W]}, each
 * linear with a {@code [1, out]} bias.
 */
public record BlockWeights(INDArray ln1Gain, INDArray ln1Bias, INDArray qkvWeight, INDArray qkvBias,
                           INDArray outWeight, INDArray outBias, INDArray ln2Gain, INDArray ln2Bias,
                           INDArray fcWeight, INDArray fcBias, INDArray projWeight, INDArray projBias) {
}
