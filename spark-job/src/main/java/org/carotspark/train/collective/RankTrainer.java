package org.carotspark.train.collective;

import org.carotspark.loss.CarotLoss;
import org.carotspark.loss.CarotLossLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.update.DriverAdamWStep;
import org.carotspark.train.GlobalBatchLoss;
import org.carotspark.train.update.GlobalNormClip;
import org.carotspark.train.update.LogitScaleClamp;
import org.carotspark.train.Minibatches;
import org.carotspark.train.StepLoss;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.ShardExamples;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.Tuple2;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32;

/**
 * One rank's steps of a segment. Per step: the rank's shard forward (student, and the EMA teacher when its targets
 * are due); for a contrastive objective, the head outputs all-gathered, the objective and the teacher's targets over
 * the whole global batch, and the backward pass of the rank's own rows; for a per-example loss (the classifier
 * baselines), the shard's own loss and gradient; then the gradient all-reduced and the same AdamW step on every
 * rank. The reference's objective over the global batch, at the cost of one all-gather and one all-reduce a step.
 */
final class RankTrainer {

    private final SegmentSpec spec;
    private final Minibatches minibatches;
    private final EpochPlan plan;
    private final ModelSnapshot teacher;
    private final int rank;

    private double data;
    private double teacherTime;
    private double fit;
    private double collective;

    RankTrainer(SegmentSpec spec, Minibatches minibatches, EpochPlan plan, ModelSnapshot teacher, int rank) {
        this.spec = spec;
        this.minibatches = minibatches;
        this.plan = plan;
        this.teacher = teacher;
        this.rank = rank;
    }

    void addCollectiveSeconds(double seconds) {
        collective += seconds;
    }

    /** Trains {@code g} (already holding the segment's start state) on the rank's shard, step by step. */
    SegmentResult run(Collective c, ComputationGraph g, List<Tuple2<Long, TrainExample>> shard, int epoch,
                      long taskStart) {
        int b = spec.perWorkerBatch();
        if (shard.size() % b != 0) {
            throw new IllegalStateException("rank " + rank + " holds " + shard.size() + " pairs, not whole minibatches"
                    + " of " + b);
        }
        GlobalBatchLoss objective = spec.objective() == null ? null
                : new GlobalBatchLoss(spec.objective(), g.getConfiguration().getDataType());
        ShardGraph heads = objective == null ? null : new HeadGraph(g);
        LossTerms terms = new LossTerms(objective == null ? List.of(CarotLossLayer.TOTAL)
                : spec.objective().termNames());
        int steps = 0;
        for (int from = 0; from < shard.size(); from += b) {
            List<Tuple2<Long, TrainExample>> chunk = shard.subList(from, from + b);
            long first = chunk.get(0)._1();
            long step = plan.stepOf(first);
            long rowOffset = first - (step - plan.firstStep()) * spec.globalBatchSize();
            if (rowOffset != (long) rank * b) {
                throw new IllegalStateException("rank " + rank + " holds the rows at " + rowOffset + " of step " + step
                        + ", not its own");
            }
            CollectiveFaults.beforeStep(rank, step);
            long t0 = System.nanoTime();
            List<TrainExample> examples = ShardExamples.examples(chunk);
            INDArray[] in = minibatches.inputs(examples, epoch);
            data += seconds(t0);
            INDArray gradient = objective == null ? localLoss(c, g, in, examples, step, terms)
                    : globalLoss(c, heads, objective, in, step, rowOffset, terms);
            long t1 = System.nanoTime();
            c.allReduceSum(gradient);
            collective += seconds(t1);
            long t2 = System.nanoTime();
            if (spec.gradientClipNorm() > 0) {
                // The reduced sum is the global batch's B·L gradient; the step uses it divided by B.
                GlobalNormClip.clipInPlace(gradient, spec.gradientClipNorm(), spec.globalBatchSize());
            }
            DriverAdamWStep.applyGradientView(g, spec.globalBatchSize());
            if (spec.clampLogitScale()) {
                LogitScaleClamp.clamp(g);
            }
            fit += seconds(t2);
            steps++;
        }
        INDArray state = g.getUpdater().getStateViewArray();
        boolean returnsState = rank == 0;
        return new SegmentResult(rank, steps, hash(g.params()), hash(state), terms, data, teacherTime, fit,
                collective, seconds(taskStart), returnsState ? FloatVectors.copyOf(g.params()) : null,
                returnsState ? FloatVectors.copyOf(state) : null);
    }

    /** Contrastive step: the gradient of the global batch's loss from this rank's rows. */
    private INDArray globalLoss(Collective c, ShardGraph heads, GlobalBatchLoss objective, INDArray[] in,
                                long step, long rowOffset, LossTerms terms) {
        long t0 = System.nanoTime();
        INDArray own = heads.forward(in);
        fit += seconds(t0);
        long t1 = System.nanoTime();
        boolean withTeacher = teacher != null && step > 0;
        INDArray rows = withTeacher ? Nd4j.hstack(own, teacher.graph().output(false, in)[0]) : own;
        teacherTime += seconds(t1);
        long t2 = System.nanoTime();
        INDArray all = c.allGatherRows(rows, rowOffset, spec.globalBatchSize());
        collective += seconds(t2);
        long t3 = System.nanoTime();
        long width = own.size(1);
        INDArray student = all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)).dup();
        INDArray targets = withTeacher
                ? objective.teacherTargets(all.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)).dup())
                : CarotLoss.noTeacher(spec.globalBatchSize(), own.dataType());
        GlobalBatchLoss.Evaluation loss = objective.evaluate(student, targets);
        terms.merge(loss.terms());
        INDArray ownGradient = loss.headGradient()
                .get(NDArrayIndex.interval(rowOffset, rowOffset + own.size(0)), NDArrayIndex.all()).dup();
        INDArray gradient = heads.backward(ownGradient);
        fit += seconds(t3);
        return gradient;
    }

    /** Per-example loss: the shard's own gradient; the reported loss is the global batch's mean. */
    private INDArray localLoss(Collective c, ComputationGraph g, INDArray[] in, List<TrainExample> examples,
                               long step, LossTerms terms) {
        long t0 = System.nanoTime();
        double regularization = StepLoss.regularizationBeforeFit(g);
        g.setInputs(in);
        g.setLabels(minibatches.labels(in, examples, step, null));
        g.computeGradientAndScore();
        double meanLoss = StepLoss.afterFit(g, regularization).mean(CarotLossLayer.TOTAL);
        INDArray shardLoss = Nd4j.scalar(meanLoss * examples.size()).castTo(DataType.FLOAT).reshape(1);
        fit += seconds(t0);
        long t1 = System.nanoTime();
        c.allReduceSum(shardLoss);
        collective += seconds(t1);
        terms.add(new double[] {shardLoss.getDouble(0) / spec.globalBatchSize()});
        return DriverAdamWStep.gradientView(g);
    }

    /** CRC-32 of a dense float array's bytes: equal on every rank after each segment, or the ranks diverged. */
    static long hash(INDArray values) {
        CRC32 crc = new CRC32();
        INDArray dense = values.isView() || values.offset() != 0 || values.length() != values.data().length()
                ? values.dup('c') : values;
        ByteBuffer bytes = dense.data().asNio();
        bytes.limit((int) (dense.length() * 4));
        crc.update(bytes);
        return crc.getValue();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
