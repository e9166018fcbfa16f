package org.carotspark.train.update;

import org.carotspark.model.FloatVectors;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One optimiser step of a graph from a gradient computed elsewhere (summed over workers), exactly as DL4J's
 * {@code fit} takes it: the gradient goes into the graph's own gradient view, the graph's updater divides it by
 * the batch size and applies AdamW (schedule, moments, bias correction, decoupled weight decay) at the graph's
 * iteration count, the update is subtracted from the parameters, and the iteration count advances. Exact mode
 * takes it on the driver; collective mode on every rank, with the same gradient, so the ranks stay identical.
 */
public final class DriverAdamWStep {

    private DriverAdamWStep() {
    }

    /** @param gradientSum the summed gradient of the batch's loss B·L, in the parameter vector's layout */
    public static void apply(ComputationGraph student, float[] gradientSum, int batchSize) {
        INDArray view = gradientView(student);
        if (view.length() != gradientSum.length) {
            throw new IllegalStateException("gradient of " + gradientSum.length + " values for " + view.length()
                    + " parameters");
        }
        FloatVectors.copyInto(view, gradientSum);
        applyGradientView(student, batchSize);
    }

    /** The graph's flat gradient view, where a summed gradient goes before {@link #applyGradientView}. */
    public static INDArray gradientView(ComputationGraph graph) {
        if (graph.getFlattenedGradients() == null) {
            graph.initGradientsView();
        }
        return graph.getFlattenedGradients();
    }

    /** The step from the summed gradient already in the graph's {@link #gradientView}. */
    public static void applyGradientView(ComputationGraph graph, int batchSize) {
        INDArray view = gradientView(graph);
        int iteration = graph.getConfiguration().getIterationCount();
        graph.getUpdater().update(new DefaultGradient(view), iteration, graph.getConfiguration().getEpochCount(),
                batchSize, LayerWorkspaceMgr.noWorkspaces());
        INDArray params = graph.params();
        params.subi(view.reshape(params.shape()));
        graph.getConfiguration().setIterationCount(iteration + 1);
    }
}
