package org.carotspark.train.collective;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.carotspark.loss.CarotLossLayer;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.FloatVectors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.carotspark.train.RoundRunner;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.WorkerResult;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collective mode: synchronous data parallelism on Spark barrier stages, as TorchDistributor and XGBoost4J-Spark
 * run it. A round is a segment of steps (up to the next EMA update, checkpoint or epoch end); each is one barrier
 * stage with one long-lived task per worker, and inside it the ranks exchange head outputs and gradients peer to
 * peer ({@link RankTrainer}) — θ, m and v do not pass through the driver between steps. The driver broadcasts the
 * start state once per segment and takes rank 0's state back at its end (for the EMA teacher and checkpoints).
 *
 * <p>The stage ends in a shuffle, so it is a map stage that Spark re-runs whole when a task fails or an executor
 * is lost (a failed barrier result stage cannot be retried); a re-run starts again from the same broadcast state,
 * with a new tracker, and ends with the same values.
 */
public final class CollectiveSteps implements RoundRunner {

    private final JavaSparkContext jsc;
    private final TrainingSettings settings;
    private final Minibatches minibatches;
    private final String headGraphJson;
    private final SegmentSpec spec;
    /** Segments whose ranks all reported the same θ and AdamW state, in this JVM (tests read it). */
    private static final AtomicLong VERIFIED_SEGMENTS = new AtomicLong();

    public CollectiveSteps(JavaSparkContext jsc, TrainingSettings settings, Minibatches minibatches,
                           ComputationGraph student) {
        this.jsc = jsc;
        this.settings = settings;
        this.minibatches = minibatches;
        CarotLossLayer contrastive = contrastiveObjective(student);
        // A per-example loss trains the training graph itself; a contrastive one its head graph.
        this.headGraphJson = contrastive == null ? student.getConfiguration().toJson()
                : HeadGraph.configurationJson(student);
        this.spec = new SegmentSpec(settings.globalBatchSize(), settings.perWorkerBatch(),
                settings.clampLogitScale(), contrastive, settings.gradientClipNorm(), settings.collectiveTimeoutSeconds());
    }

    private static CarotLossLayer contrastiveObjective(ComputationGraph g) {
        return g.getOutputLayer(0).conf().getLayer() instanceof CarotLossLayer
                ? (CarotLossLayer) CarotLossLayer.of(g).clone() : null;
    }

    @Override
    public int stepsPerRound() {
        return settings.collectiveMaxSegmentSteps();
    }

    @Override
    public ModelSnapshot teacherSnapshot(float[] teacherParams) {
        return ModelSnapshot.of(headGraphJson, teacherParams, "collective-teacher");
    }

    @Override
    public RoundRun run(ComputationGraph student, EpochBatches batches, EpochPlan plan, int round, long step,
                        Broadcast<ModelSnapshot> teacher) {
        long start = System.nanoTime();
        Broadcast<SegmentStart> startState = jsc.broadcast(new SegmentStart(
                ModelSnapshot.of(headGraphJson, ModelSnapshot.flatParams(student), "collective-student"),
                FloatVectors.copyOf(student.getUpdater().getStateViewArray()), step, plan.epoch()));
        double broadcastSeconds = (System.nanoTime() - start) / 1e9;
        int steps = plan.roundSteps(round);
        String segment = String.format(Locale.ROOT, "collective segment of steps %d-%d (epoch %d)", step + 1,
                step + steps, plan.epoch() + 1);
        List<SegmentResult> results;
        try {
            RDD<Tuple2<Long, TrainExample>> shards = batches.roundForBarrierStage(round).rdd();
            ClassTag<SegmentResult> tag = ClassTag$.MODULE$.apply(SegmentResult.class);
            RDD<SegmentResult> trained = shards.barrier().mapPartitions(
                    new SegmentTask(startState, spec.objective() == null ? null : teacher, minibatches, plan, spec),
                    false, tag);
            // The shuffle makes the barrier stage a map stage, which Spark can re-run (a result stage it cannot).
            results = JavaRDD.fromRDD(trained, tag).repartition(1).collect();
        } catch (Exception e) { // Spark throws checked exceptions from Scala, undeclared
            throw new CollectiveSegmentException(segment + " failed: " + rootMessage(e), e);
        } finally {
            startState.destroy();
        }
        long applyStart = System.nanoTime();
        SegmentResult state = check(results, settings.workers(), steps, segment);
        FloatVectors.copyInto(student.params(), state.params());
        FloatVectors.copyInto(student.getUpdater().getStateViewArray(), state.updaterState());
        return new RoundRun(timings(results), state.terms, broadcastSeconds, (System.nanoTime() - applyStart) / 1e9);
    }

    /** The ranks' results must be complete and agree bit for bit; rank 0's carries the state. */
    static SegmentResult check(List<SegmentResult> results, int workers, int steps, String segment) {
        if (results.size() != workers) {
            throw new IllegalStateException(segment + ": " + results.size() + " of " + workers + " ranks reported");
        }
        SegmentResult first = null;
        for (SegmentResult r : results) {
            if (r.steps != steps) {
                throw new IllegalStateException(segment + ": rank " + r.rank + " took " + r.steps + " steps");
            }
            if (r.hasState()) {
                first = r;
            }
        }
        for (SegmentResult r : results) {
            if (r.paramsHash != results.get(0).paramsHash || r.updaterStateHash != results.get(0).updaterStateHash) {
                throw new IllegalStateException(segment + ": the ranks' parameters diverged (rank " + r.rank
                        + " differs from rank " + results.get(0).rank + ")");
            }
        }
        if (first == null) {
            throw new IllegalStateException(segment + ": rank 0 returned no state");
        }
        VERIFIED_SEGMENTS.incrementAndGet();
        return first;
    }

    /** Segments, in this JVM, after which every rank's θ and AdamW state hashed the same. */
    public static long segmentsVerified() {
        return VERIFIED_SEGMENTS.get();
    }

    /** Fit, data and teacher per rank; the rest of the slowest task (collective waits and moves) is straggler time. */
    private static WorkerResult timings(List<SegmentResult> results) {
        double data = 0;
        double teacher = 0;
        double fit = 0;
        double slowest = 0;
        int minibatches = 0;
        for (SegmentResult r : results) {
            data += r.dataSeconds;
            teacher += r.teacherSeconds;
            fit += r.fitSeconds;
            slowest = Math.max(slowest, r.taskSeconds);
            minibatches += r.steps;
        }
        return WorkerResult.ofTasks(results.size(), minibatches, new LossTerms(List.of()), data, teacher, fit,
                slowest);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = m.indexOf('\n');
        return newline > 0 ? m.substring(0, newline) : m;
    }

    @Override
    public String describe() {
        if (spec.objective() == null) {
            return String.format(Locale.ROOT, "collective over %d workers in barrier stages of up to %d steps: each"
                            + " worker's gradient of its %d examples' loss is all-reduced and every worker takes the"
                            + " same AdamW step on the %d-example batch (data parallel, as DDP)", settings.workers(),
                    settings.collectiveMaxSegmentSteps(), settings.perWorkerBatch(), settings.globalBatchSize());
        }
        return String.format(Locale.ROOT, "collective over %d workers in barrier stages of up to %d steps: per step"
                        + " the ranks all-gather the %d pairs' head outputs, each computes the loss and teacher targets"
                        + " over all %d x %d pairs (as the reference), back-propagates its own rows, all-reduces the"
                        + " gradient and takes the same AdamW step; θ and AdamW state stay on the ranks",
                settings.workers(), settings.collectiveMaxSegmentSteps(), settings.globalBatchSize(),
                settings.globalBatchSize(), settings.globalBatchSize());
    }
}
