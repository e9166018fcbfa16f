package org.carotspark.train.exact;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.carotspark.train.WorkerResult;
import org.carotspark.train.epoch.ShardExamples;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

import java.util.Iterator;
import java.util.List;

/**
 * Exact mode, second pass on a worker: its shard forward again (the same crops and captions: both are seeded
 * by (id, epoch)) and backward from the driver's gradient of the global loss with respect to its pairs' head
 * outputs. The other shards' features are constants here, as in open_clip's gather without gradient; summed
 * over workers, the parameter gradients are the global batch's. Recomputing the forward pass costs about a
 * third of a training step and keeps no activations across Spark stages.
 */
final class ExactBackward implements FlatMapFunction<Iterator<Tuple2<Long, TrainExample>>, WorkerResult> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelSnapshot> student;
    private final Broadcast<HeadGradients> gradients;
    private final Minibatches minibatches;
    private final int epoch;

    ExactBackward(Broadcast<ModelSnapshot> student, Broadcast<HeadGradients> gradients, Minibatches minibatches,
                  int epoch) {
        this.student = student;
        this.gradients = gradients;
        this.minibatches = minibatches;
        this.epoch = epoch;
    }

    @Override
    public Iterator<WorkerResult> call(Iterator<Tuple2<Long, TrainExample>> partition) {
        long t0 = System.nanoTime();
        List<Tuple2<Long, TrainExample>> sorted = ShardExamples.sorted(partition);
        if (sorted.isEmpty()) {
            return List.<WorkerResult>of().iterator();
        }
        INDArray[] in = minibatches.inputs(ShardExamples.examples(sorted), epoch);
        INDArray labels = gradients.value().rowsFor(ShardExamples.positions(sorted));
        long t1 = System.nanoTime();
        ComputationGraph g = student.value().graph();
        g.setInputs(in);
        g.setLabels(labels);
        g.computeGradientAndScore();
        WorkerResult r = WorkerResult.empty();
        r.gradient = FloatVectors.copyOf(g.gradient().gradient());
        g.clear();
        long t2 = System.nanoTime();
        r.workers = 1;
        r.minibatches = 1;
        r.dataSeconds = (t1 - t0) / 1e9;
        r.fitSeconds = (t2 - t1) / 1e9;
        r.maxTaskSeconds = (t2 - t0) / 1e9;
        return List.of(r).iterator();
    }
}
