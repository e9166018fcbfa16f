package org.carotspark.train.collective;

import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.sparkutil.BulkFloatArray;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.Serializable;

/**
 * What every rank starts a segment from: the student (θ), AdamW's state and the global step, broadcast once per
 * segment. A re-run of the segment's stage starts from the same values, so a failed attempt leaves no trace. A
 * plain class: Spark's Kryo serializer cannot write record fields.
 */
final class SegmentStart implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelSnapshot student;
    private final BulkFloatArray updaterState;
    private final long firstStep;
    private final int epoch;

    SegmentStart(ModelSnapshot student, float[] updaterState, long firstStep, int epoch) {
        this.student = student;
        this.updaterState = new BulkFloatArray(updaterState);
        this.firstStep = firstStep;
        this.epoch = epoch;
    }

    /**
     * This thread's graph holding exactly the start state: parameters and AdamW state copied in every time (a
     * graph cached from a failed attempt of the same segment holds trained values under the same snapshot).
     */
    ComputationGraph graph() {
        ComputationGraph g = student.graph();
        FloatVectors.copyInto(g.params(), student.params());
        FloatVectors.copyInto(g.getUpdater().getStateViewArray(), updaterState.values());
        g.getConfiguration().setIterationCount(Math.toIntExact(firstStep));
        g.getConfiguration().setEpochCount(epoch);
        return g;
    }

    long firstStep() {
        return firstStep;
    }

    int epoch() {
        return epoch;
    }
}
