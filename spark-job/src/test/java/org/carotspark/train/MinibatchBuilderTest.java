package org.carotspark.train;

import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.text.TokenIds;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.List;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchBuilderTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    private final CaptionSampler captions = new CaptionSampler(CLASSES, TEMPLATES, 9);
    private final MinibatchBuilder builder = new MinibatchBuilder(tokenizer, captions, 8);
    private final TrainingSettings settings = TinyTrainingFixture.trainingSettings();

    @Test
    void theTeachersTargetsBelongToExactlyThisMinibatch() {
        ComputationGraph teacherGraph = TrainingGraphFactory.build(model, new CarotObjective(0.2, 1.5, 0.05),
                settings, 10);
        ModelSnapshot teacher = ModelSnapshot.of(teacherGraph, "teacher");
        List<TrainExample> batch = TinyTrainingFixture.examples(4, 5);
        MultiDataSet mds = builder.build(batch, 1, 7, teacher);
        INDArray expected = teacherGraph.output(false, mds.getFeatures())[0];
        assertTrue(expected.equalsWithEps(mds.getLabels(0), 1e-6), "targets of these pairs");
        assertEquals(8L, mds.getLabels(0).size(1));
        assertEquals(2.0 * 4, mds.getLabels(0).sumNumber().doubleValue(), 1e-3, "two probability vectors per row");
        // Another minibatch gets other targets.
        MultiDataSet other = builder.build(TinyTrainingFixture.examples(4, 6), 1, 7, teacher);
        assertTrue(!other.getLabels(0).equalsWithEps(mds.getLabels(0), 1e-3));
    }

    @Test
    void featuresAreTheExamplesInOrderAndStepZeroHasNoDistillation() {
        List<TrainExample> batch = TinyTrainingFixture.examples(4, 7);
        ModelSnapshot teacher = ModelSnapshot.of(TrainingGraphFactory.build(model,
                new CarotObjective(0.2, 1.5, 0.05), settings, 10), "teacher");
        MultiDataSet step0 = builder.build(batch, 0, 0, teacher);
        assertEquals(0.0, step0.getLabels(0).sumNumber().doubleValue(), 0.0, "SD is off at step 0");
        List<byte[]> images = batch.stream().map(TrainExample::image).toList();
        assertTrue(ClipImageTensors.batch(images, 8, DataType.FLOAT).equalsWithEps(step0.getFeatures(0), 1e-6));
        List<String> texts = batch.stream().map(e -> captions.caption(e.id(), e.label(), 0)).toList();
        assertEquals(TokenIds.batch(tokenizer, texts), step0.getFeatures(1));
        assertEquals(step0.getFeatures(1), step0.getFeatures(2), "the second id input is a copy of the first");
        MultiDataSet step1 = builder.build(batch, 0, 1, teacher);
        assertTrue(step1.getLabels(0).sumNumber().doubleValue() > 1.0, "step 1 distils from the teacher");
        assertEquals(0.0, builder.build(batch, 0, 5, null).getLabels(0).sumNumber().doubleValue(), 0.0,
                "no teacher, no distillation");
    }
}
