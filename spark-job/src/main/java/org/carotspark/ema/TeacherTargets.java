package org.carotspark.ema;

import org.carotspark.model.ModelSnapshot;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The teacher's soft targets for one student minibatch: the teacher graph's own in-batch
 * probabilities [B, 2B] = [P_image→text | P_text→image] on exactly the student's features.
 */
public final class TeacherTargets {

    private TeacherTargets() {
    }

    public static INDArray compute(ModelSnapshot teacher, INDArray images, INDArray ids) {
        ComputationGraph g = teacher.graph();
        return g.output(false, images, ids, ids.dup())[0];
    }

    /** All-zero targets switch the SD term off for a step (it is Σ −p^ψ log p^θ). */
    public static INDArray off(int batchSize, org.nd4j.linalg.api.buffer.DataType dtype) {
        return Nd4j.zeros(dtype, batchSize, 2L * batchSize);
    }
}
