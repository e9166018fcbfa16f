package org.carotspark.train;

import org.carotspark.loss.CarotObjective;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.text.TokenIds;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The teacher's soft targets travel with exactly the minibatch the student then fits. */
class MinibatchBuilderTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    private final CaptionSampler captions = new CaptionSampler(CLASSES, TEMPLATES, 9);

    private static List<TrainExample> examples(int n) throws IOException {
        Random r = new Random(5);
        List<TrainExample> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new TrainExample("imagenet-train/n0" + (i % 3) + "/img" + i + ".JPEG", i % 3,
                    TinyTrainingFixture.randomJpeg(r)));
        }
        return list;
    }

    @Test
    void everyMinibatchCarriesItsOwnTeacherTargetsAfterTheRoundShuffle() throws IOException {
        ComputationGraph teacherGraph = ClipGraphBuilder.build(model, new CarotObjective(0.2, 1.5), new Adam(1e-3), 0.0, DataType.FLOAT);
        ModelSnapshot teacher = ModelSnapshot.of(teacherGraph);
        Broadcast<ModelSnapshot> bc = LocalSpark.jsc().broadcast(teacher);
        JavaRDD<TrainExample> rows = LocalSpark.jsc().parallelize(examples(40), 3);
        int workers = 2;
        int perWorker = 4;
        // Epoch 1 of 5 steps per epoch: global steps 5..9, so step 0's SD switch-off does not apply.
        List<MultiDataSet> round = EpochBatches.of(rows, 1, 3, perWorker, 5L * workers, 3)
                .filter(b -> b._1() >= 2 && b._1() < 6)
                .partitionBy(new RoundPartitioner(workers))
                .mapPartitions(new MinibatchBuilder(tokenizer, captions, 1, 5, workers, 8, bc,
                        LocalSpark.jsc().sc().doubleAccumulator()))
                .collect();
        assertEquals(4, round.size(), "two steps x two workers");
        for (MultiDataSet mds : round) {
            INDArray expected = teacher.graph().output(false, mds.getFeatures(0), mds.getFeatures(1),
                    mds.getFeatures(2))[0];
            assertEquals(perWorker, mds.getFeatures(0).size(0));
            assertTrue(expected.equalsWithEps(mds.getLabels(0), 1e-6), "targets belong to this minibatch");
            assertEquals(2L * perWorker, mds.getLabels(0).size(1));
            assertEquals(2.0 * perWorker, mds.getLabels(0).sumNumber().doubleValue(), 1e-3,
                    "each row holds two probability vectors");
        }
    }

    @Test
    void featuresAreTheExamplesInOrderAndStepZeroHasNoDistillation() throws IOException {
        List<TrainExample> batch = examples(4);
        MinibatchBuilder builder = new MinibatchBuilder(tokenizer, captions, 0, 0, 2, 8,
                LocalSpark.jsc().broadcast(ModelSnapshot.of(
                        ClipGraphBuilder.build(model, new CarotObjective(0.2, 1.5), new Adam(1e-3), 0.0, DataType.FLOAT))),
                LocalSpark.jsc().sc().doubleAccumulator());
        MultiDataSet step0 = builder.build(1, batch);
        assertEquals(0.0, step0.getLabels(0).sumNumber().doubleValue(), 0.0, "SD is off at step 0");
        List<byte[]> images = batch.stream().map(TrainExample::image).toList();
        assertTrue(ClipImageTensors.batch(images, 8, DataType.FLOAT).equalsWithEps(step0.getFeatures(0), 1e-6));
        List<String> texts = batch.stream().map(e -> captions.caption(e.id(), e.label(), 0)).toList();
        assertEquals(TokenIds.batch(tokenizer, texts), step0.getFeatures(1));
        assertEquals(step0.getFeatures(1), step0.getFeatures(2), "the second id input is a copy of the first");
        MultiDataSet step1 = builder.build(2, batch);
        assertTrue(step1.getLabels(0).sumNumber().doubleValue() > 1.0, "step 1 distils from the teacher");
    }
}
