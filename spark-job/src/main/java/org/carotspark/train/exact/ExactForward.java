package org.carotspark.train.exact;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.carotspark.train.epoch.ShardExamples;
import org.carotspark.train.minibatch.TrainExample;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

import java.util.Iterator;
import java.util.List;

/**
 * Exact mode, first pass on a worker: its shard of the step's global batch through the student (and the EMA
 * teacher, when its targets are due) up to the CLIP head. Only the head outputs go back to the driver — a few
 * kilobytes per pair — not activations or parameters.
 */
final class ExactForward implements FlatMapFunction<Iterator<Tuple2<Long, TrainExample>>, HeadShard> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelSnapshot> student;
    private final Broadcast<ModelSnapshot> teacher;
    private final Minibatches minibatches;
    private final int epoch;

    /** @param teacher the teacher's feature-gradient graph, or null when no targets are due */
    ExactForward(Broadcast<ModelSnapshot> student, Broadcast<ModelSnapshot> teacher, Minibatches minibatches,
                 int epoch) {
        this.student = student;
        this.teacher = teacher;
        this.minibatches = minibatches;
        this.epoch = epoch;
    }

    @Override
    public Iterator<HeadShard> call(Iterator<Tuple2<Long, TrainExample>> partition) {
        List<Tuple2<Long, TrainExample>> sorted = ShardExamples.sorted(partition);
        if (sorted.isEmpty()) {
            return List.<HeadShard>of().iterator();
        }
        long t0 = System.nanoTime();
        INDArray[] in = minibatches.inputs(ShardExamples.examples(sorted), epoch);
        long t1 = System.nanoTime();
        INDArray heads = student.value().graph().output(false, in)[0];
        long t2 = System.nanoTime();
        float[] teacherHeads = teacher == null ? null : teacher.value().graph().output(false, in)[0].ravel()
                .toFloatVector();
        long t3 = System.nanoTime();
        return List.of(new HeadShard(ShardExamples.positions(sorted), heads.ravel().toFloatVector(), teacherHeads,
                (int) heads.size(1), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9)).iterator();
    }
}
