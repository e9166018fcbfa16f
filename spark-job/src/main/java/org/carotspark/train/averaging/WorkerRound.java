package org.carotspark.train.averaging;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.sparkutil.BulkFloatArray;
import org.carotspark.train.update.GlobalNormClip;
import org.carotspark.train.update.LogitScaleClamp;
import org.carotspark.train.Minibatches;
import org.carotspark.train.StepLoss;
import org.carotspark.train.WorkerResult;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.ShardExamples;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import scala.Tuple2;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of a parameter-averaging round, on an executor: starting from the round's
 * averaged parameters and AdamW state, at the round's global step (so the learning-rate schedule and
 * Adam's bias correction see the true step), fit this worker's minibatches in step order and return the
 * result. The executor thread keeps its graph between rounds ({@link ModelSnapshot#graph()}).
 */
public final class WorkerRound implements FlatMapFunction<Iterator<Tuple2<Long, TrainExample>>, WorkerResult> {

    private static final long serialVersionUID = 1L;

    /**
     * What every worker of a round starts from. A plain class, not a record: it is broadcast, and Spark's Kryo
     * serializer (what cluster deployments configure) cannot write record fields.
     */
    public static final class Start implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ModelSnapshot student;
        private final BulkFloatArray updaterState;
        private final long firstStep;
        private final int epoch;

        public Start(ModelSnapshot student, float[] updaterState, long firstStep, int epoch) {
            this.student = student;
            this.updaterState = new BulkFloatArray(updaterState);
            this.firstStep = firstStep;
            this.epoch = epoch;
        }

        ModelSnapshot student() { return student; }
        float[] updaterState() { return updaterState.values(); }
        long firstStep() { return firstStep; }
        int epoch() { return epoch; }
    }

    private final Broadcast<Start> start;
    private final Broadcast<ModelSnapshot> teacher;
    private final Minibatches minibatches;
    private final EpochPlan plan;
    private final boolean clampLogitScale;
    /** Global L2 norm each step's gradient is clipped to (0 = off): {@link GlobalNormClip}. */
    private final double gradientClipNorm;

    public WorkerRound(Broadcast<Start> start, Broadcast<ModelSnapshot> teacher, Minibatches minibatches,
                       EpochPlan plan, boolean clampLogitScale) {
        this(start, teacher, minibatches, plan, clampLogitScale, 0);
    }

    public WorkerRound(Broadcast<Start> start, Broadcast<ModelSnapshot> teacher, Minibatches minibatches,
                       EpochPlan plan, boolean clampLogitScale, double gradientClipNorm) {
        this.start = start;
        this.teacher = teacher;
        this.minibatches = minibatches;
        this.plan = plan;
        this.clampLogitScale = clampLogitScale;
        this.gradientClipNorm = gradientClipNorm;
    }

    @Override
    public Iterator<WorkerResult> call(Iterator<Tuple2<Long, TrainExample>> partition) {
        long t0 = System.nanoTime();
        List<Tuple2<Long, TrainExample>> examples = ShardExamples.sorted(partition);
        if (examples.isEmpty()) {
            return List.<WorkerResult>of().iterator();
        }

        Start s = start.value();
        ComputationGraph g = s.student().graph();
        // Always from the round's start: a graph cached from a failed attempt of this round holds trained values
        // under the same snapshot version, which the cache would keep.
        FloatVectors.copyInto(g.params(), s.student().params());
        INDArray state = g.getUpdater().getStateViewArray();
        FloatVectors.copyInto(state, s.updaterState());
        g.getConfiguration().setIterationCount(Math.toIntExact(s.firstStep()));
        g.getConfiguration().setEpochCount(s.epoch());
        GlobalNormClip.everyFit(g, gradientClipNorm);

        WorkerResult r = WorkerResult.empty();
        r.workers = 1;
        ModelSnapshot psi = teacher == null ? null : teacher.value();
        for (int from = 0; from < examples.size(); from += plan.perWorkerBatch()) {
            List<Tuple2<Long, TrainExample>> chunk = examples.subList(from, from + plan.perWorkerBatch());
            long step = plan.stepOf(chunk.get(0)._1());
            long d0 = System.nanoTime();
            List<TrainExample> batch = chunk.stream().map(Tuple2::_2).toList();
            INDArray[] in = minibatches.inputs(batch, s.epoch());
            long d1 = System.nanoTime();
            INDArray targets = minibatches.labels(in, batch, step, psi);
            long d2 = System.nanoTime();
            double regularization = StepLoss.regularizationBeforeFit(g);
            g.fit(new MultiDataSet(in, new INDArray[] {targets}));
            long d3 = System.nanoTime();
            if (clampLogitScale) {
                LogitScaleClamp.clamp(g);
            }
            LossTerms terms = StepLoss.afterFit(g, regularization);
            r.terms = r.terms.merge(terms);
            r.minibatches++;
            r.dataSeconds += (d1 - d0) / 1e9;
            r.teacherSeconds += (d2 - d1) / 1e9;
            r.fitSeconds += (d3 - d2) / 1e9;
        }
        r.params = FloatVectors.copyOf(g.params());
        r.updaterState = FloatVectors.copyOf(state);
        r.maxTaskSeconds = (System.nanoTime() - t0) / 1e9;
        return List.of(r).iterator();
    }
}
