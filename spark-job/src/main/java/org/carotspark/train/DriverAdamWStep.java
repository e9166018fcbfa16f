package org.carotspark.train;

import org.carotspark.model.FloatVectors;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimiser step of the student on the driver from a gradient computed elsewhere, exactly as DL4J's
 * {@code fit} takes it: the gradient goes into the graph's own gradient view, the graph's updater divides it by
 * the batch size and applies AdamW (schedule, moments, bias correction, decoupled weight decay) at the graph's
 * iteration count, the update is subtracted from the parameters, and the iteration count advances.
 */
final class DriverAdamWStep {

    private DriverAdamWStep() {
    }

    /** @param gradientSum the summed gradient of the batch's loss B·L, in the parameter vector's layout */
    static void apply(ComputationGraph student, float[] gradientSum, int batchSize) {
        INDArray view = student.getFlattenedGradients();
        if (view == null) {
            student.initGradientsView();
            view = student.getFlattenedGradients();
        }
        if (view.length() != gradientSum.length) {
            throw new IllegalStateException("gradient of " + gradientSum.length + " values for " + view.length()
                    + " parameters");
        }
        FloatVectors.copyInto(view, gradientSum);
        int iteration = student.getConfiguration().getIterationCount();
        student.getUpdater().update(new DefaultGradient(view), iteration, student.getConfiguration().getEpochCount(),
                batchSize, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = student.params();
        params.subi(view.reshape(params.shape()));
        student.getConfiguration().setIterationCount(iteration + 1);
    }
}
