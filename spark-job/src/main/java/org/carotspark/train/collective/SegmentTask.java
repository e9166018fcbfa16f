package org.carotspark.train.collective;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.ShardExamples;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One rank's task of a segment's barrier stage: Spark starts all ranks together; rank 0 starts the collective's
 * tracker and tells the others where it is through the barrier's all-gather (a new tracker for every attempt, so
 * a re-run stage starts a fresh group); every rank joins, trains the segment's steps ({@link RankTrainer}) and
 * leaves. Spark's barrier API takes a Scala function, hence the base class.
 */
final class SegmentTask extends AbstractFunction1<Iterator<Tuple2<Long, TrainExample>>, Iterator<SegmentResult>>
        implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Broadcast<SegmentStart> start;
    private final Broadcast<ModelSnapshot> teacher;
    private final Minibatches minibatches;
    private final EpochPlan plan;
    private final SegmentSpec spec;

    /** @param teacher the EMA teacher's head graph, or null without distillation */
    SegmentTask(Broadcast<SegmentStart> start, Broadcast<ModelSnapshot> teacher, Minibatches minibatches,
                EpochPlan plan, SegmentSpec spec) {
        this.start = start;
        this.teacher = teacher;
        this.minibatches = minibatches;
        this.plan = plan;
        this.spec = spec;
    }

    @Override
    public Iterator<SegmentResult> apply(Iterator<Tuple2<Long, TrainExample>> partition) {
        long taskStart = System.nanoTime();
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        int size = ctx.getTaskInfos().length;
        List<Tuple2<Long, TrainExample>> shard = ShardExamples.sorted(JavaConverters.asJavaIterator(partition));
        SegmentStart s = start.value();
        ComputationGraph g = s.graph();
        ModelSnapshot psi = teacher == null ? null : teacher.value();
        RankTrainer trainer = new RankTrainer(spec, minibatches, plan, psi, rank);

        long joinStart = System.nanoTime();
        RabitTracker tracker = rank == 0 ? RabitTracker.start(size, host(ctx, rank), spec.timeoutSeconds()) : null;
        boolean finished = false;
        try {
            String[] announced = ctx.allGather(tracker == null ? "" : encode(tracker.workerArgs()));
            CollectiveFaults.beforeJoin(rank);
            SegmentResult result;
            try (Collective c = RabitCollective.join(decode(announced[0]), rank, size, spec.timeoutSeconds())) {
                trainer.addCollectiveSeconds((System.nanoTime() - joinStart) / 1e9);
                result = trainer.run(c, g, shard, s.epoch(), taskStart);
            }
            finished = true;
            return JavaConverters.asScalaIterator(List.of(result).iterator());
        } finally {
            if (tracker != null) {
                if (finished) {
                    tracker.awaitGroupEnd(spec.timeoutSeconds());
                }
                tracker.close();
            }
        }
    }

    /** The host part of this rank's executor address ("host:port"). */
    private static String host(BarrierTaskContext ctx, int rank) {
        String address = ctx.getTaskInfos()[rank].address();
        int colon = address.lastIndexOf(':');
        return colon > 0 ? address.substring(0, colon) : address;
    }

    private static String encode(Map<String, Object> args) {
        try {
            return JSON.writeValueAsString(args);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> decode(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rank 0 did not announce the collective's tracker: \"" + json + "\"", e);
        }
    }
}
