package org.carotspark.ema;

import org.carotspark.model.ClipInputs;
import org.carotspark.model.ModelSnapshot;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The teacher's soft targets for one student minibatch: the teacher graph's own in-batch
 * probabilities [B, 2B] = [P_image→text | P_text→image] on exactly the student's inputs.
 */
public final class TeacherTargets {

    private TeacherTargets() {
    }

    public static INDArray compute(ModelSnapshot teacher, INDArray images, INDArray ids) {
        return teacher.graph().output(false, ClipInputs.of(images, ids))[0];
    }
}
