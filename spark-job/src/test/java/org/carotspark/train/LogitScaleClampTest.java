package org.carotspark.train;

import org.apache.spark.api.java.JavaRDD;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipEncoders;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.averaging.WorkerRound;
import org.carotspark.train.epoch.EpochBatches;
import org.carotspark.train.epoch.EpochPlan;
import org.carotspark.train.epoch.EpochShuffle;
import org.carotspark.train.minibatch.CaptionSampler;
import org.carotspark.train.minibatch.MinibatchBuilder;
import org.carotspark.train.minibatch.TrainExample;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code carot.train.clamp-logit-scale}: open_clip's post-step clamp, applied on the workers; off by default. */
class LogitScaleClampTest {

    private double logScaleAfterOneRound(boolean clamp) {
        SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
        ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
        TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", 1e-4, "warmup-steps", 0);
        ComputationGraph g = TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05), settings, 10);
        ClipEncoders.headParam(g, ClipProjectionHead.LOGIT_SCALE).assign(5.0); // above ln 100 ≈ 4.605
        EpochPlan plan = new EpochPlan(0, 0, 1, 1, 4, 1);
        JavaRDD<TrainExample> rdd = LocalSpark.jsc().parallelize(TinyTrainingFixture.examples(4, 3), 1);
        EpochBatches batches = EpochBatches.of(rdd, plan,
                LocalSpark.jsc().broadcast(EpochShuffle.of(rdd.map(TrainExample::id), 1, 0)));
        MinibatchBuilder builder = new MinibatchBuilder(tokenizer,
                new CaptionSampler(TinyTrainingFixture.CLASSES, TinyTrainingFixture.TEMPLATES, 1),
                TinyTrainingFixture.trainImages());
        WorkerResult r = PairwiseSum.of(batches.round(0)
                .mapPartitions(new WorkerRound(LocalSpark.jsc().broadcast(new WorkerRound.Start(
                        ModelSnapshot.of(g, "student"), g.getUpdater().getStateViewArray().toFloatVector(), 0, 0)),
                        null, builder, plan, clamp)), 1);
        batches.release();
        g.params().assign(Nd4j.create(r.params).reshape(g.params().shape()));
        return ClipEncoders.headParam(g, ClipProjectionHead.LOGIT_SCALE).getDouble(0);
    }

    @Test
    void clampedOnTheWorkersWhenAskedFreeOtherwise() {
        assertEquals(Math.log(100), logScaleAfterOneRound(true), 1e-6);
        double free = logScaleAfterOneRound(false);
        assertTrue(Math.abs(free - 5.0) < 2e-4, "one AdamW step of at most lr from 5.0: " + free);
    }
}
