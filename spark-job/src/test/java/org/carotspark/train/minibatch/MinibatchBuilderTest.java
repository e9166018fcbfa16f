package org.carotspark.train.minibatch;

import com.typesafe.config.ConfigFactory;
import org.carotspark.image.ClipEvalTransform;
import org.carotspark.image.ClipTrainTransform;
import org.carotspark.image.RgbImage;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchBuilderTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    private final CaptionSampler captions = new CaptionSampler(CLASSES, TEMPLATES, 9);
    private final MinibatchBuilder builder = new MinibatchBuilder(tokenizer, captions,
            new TrainImages(8, TrainImages.Augmentation.CENTER_CROP, 1));
    private final TrainingSettings settings = TinyTrainingFixture.trainingSettings();

    @Test
    void theTeachersTargetsBelongToExactlyThisMinibatch() {
        ComputationGraph teacherGraph = TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05),
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
                new CarotLoss(0.2, 1.5, 0.05), settings, 10), "teacher");
        MultiDataSet step0 = builder.build(batch, 0, 0, teacher);
        assertEquals(0.0, step0.getLabels(0).sumNumber().doubleValue(), 0.0, "SD is off at step 0");
        List<byte[]> images = batch.stream().map(TrainExample::image).toList();
        assertTrue(ClipImageTensors.batch(images, 8, DataType.FLOAT).equalsWithEps(step0.getFeatures(0), 1e-6),
                "the centre crop of an S×S prepared image is the image");
        List<String> texts = batch.stream().map(e -> captions.caption(e.id(), e.label(), 0)).toList();
        assertEquals(TokenIds.batch(tokenizer, texts), step0.getFeatures(1));
        assertEquals(step0.getFeatures(1), step0.getFeatures(2), "the second id input is a copy of the first");
        MultiDataSet step1 = builder.build(batch, 0, 1, teacher);
        assertTrue(step1.getLabels(0).sumNumber().doubleValue() > 1.0, "step 1 distils from the teacher");
        assertEquals(0.0, builder.build(batch, 0, 5, null).getLabels(0).sumNumber().doubleValue(), 0.0,
                "no teacher, no distillation");
    }

    @Test
    void randomResizedCropsComeFromTheWholeImageAndChangeEveryEpoch() throws Exception {
        // A 12×9 prepared training image (shorter side resized, not cropped) and the model's 8×8 input.
        BufferedImage wide = new BufferedImage(12, 9, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(4);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 12; x++) {
                wide.setRGB(x, y, r.nextInt(0xffffff));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(wide, "png", png);
        List<TrainExample> one = List.of(new TrainExample("imagenet-train/n01/a.JPEG", 0, png.toByteArray()));
        MinibatchBuilder augmenting = new MinibatchBuilder(tokenizer, captions, TinyTrainingFixture.trainImages());
        RgbImage decoded = ClipImageTensors.decode(png.toByteArray());
        ClipTrainTransform reference = new ClipTrainTransform(8, ConfigFactory.load().getLong("carot.train.crop-seed"));
        Set<List<Float>> epochs = new HashSet<>();
        for (int epoch = 0; epoch < 8; epoch++) {
            INDArray features = augmenting.inputs(one, epoch)[0];
            float[] expected = reference.apply(decoded, one.get(0).id(), epoch);
            assertArrayEquals(expected, features.reshape(-1).toFloatVector(), 0f, "epoch " + epoch);
            assertEquals(features, augmenting.inputs(one, epoch)[0], "the same crop for the same (image, epoch)");
            List<Float> values = new ArrayList<>();
            for (float v : expected) {
                values.add(v);
            }
            epochs.add(values);
        }
        // A small 4:3 image has few distinct crops, and torchvision falls back to the whole image when ten tries
        // find none of >= 90 % area, so only some epochs differ.
        assertTrue(epochs.size() >= 3, epochs.size() + " distinct crops in 8 epochs");
        // Without augmentation: the 8×8 centre crop of the image resized to shorter side 8, every epoch.
        float[] centre = new ClipEvalTransform(8).apply(decoded);
        assertArrayEquals(centre, builder.inputs(one, 0)[0].reshape(-1).toFloatVector(), 0f);
        assertArrayEquals(centre, builder.inputs(one, 3)[0].reshape(-1).toFloatVector(), 0f);
    }
}
