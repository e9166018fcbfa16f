package org.carotspark.train.update;

import org.carotspark.model.ClipEncoders;
import org.carotspark.model.ClipProjectionHead;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * open_clip's {@code logit_scale.clamp_(0, ln 100)} after every optimiser step (its training loop does
 * this; the CaRot/FLYP reference does not, hence {@code carot.train.clamp-logit-scale}).
 */
public final class LogitScaleClamp {

    static final double MAX_LOG_SCALE = Math.log(100.0);

    private LogitScaleClamp() {
    }

    public static void clamp(ComputationGraph g) {
        INDArray logScale = ClipEncoders.headParam(g, ClipProjectionHead.LOGIT_SCALE);
        double v = logScale.getDouble(0);
        double clamped = Math.max(0.0, Math.min(MAX_LOG_SCALE, v));
        if (clamped != v) {
            logScale.assign(clamped);
        }
    }
}
