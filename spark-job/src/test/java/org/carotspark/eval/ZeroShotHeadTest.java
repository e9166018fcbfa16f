package org.carotspark.eval;

import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.TrainingGraphFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroShotHeadTest {

    /** Prompts encoded on the executors (classes split over tasks) give the head the driver would compute. */
    @Test
    void aLinearHeadAddsItsBiasToTheLogits() {
        // rows (1, 0) and (0, 2) on the unit feature (0.6, 0.8), scale 1: logits (0.6, 1.6) + bias (0.5, -1)
        ZeroShotHead head = ZeroShotHead.linear(new float[] {1, 0, 0, 2}, 2, 2, 1.0, new float[] {0.5f, -1f});
        float[][] logits = head.logits(Nd4j.createFromArray(new float[][] {{3, 4}}));
        assertEquals(1.1, logits[0][0], 1e-6);
        assertEquals(0.6, logits[0][1], 1e-6);
    }

    @Test
    void theDistributedHeadIsTheLocalOne() {
        SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
        ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
        ComputationGraph g = TrainingGraphFactory.build(model, CarotLoss.CONTRASTIVE_ONLY,
                TinyTrainingFixture.trainingSettings(), 10);
        ZeroShotHead local = ZeroShotHead.build(g, tokenizer, TinyTrainingFixture.CLASSES,
                TinyTrainingFixture.TEMPLATES, 3);
        ZeroShotHead distributed = ZeroShotHead.build(LocalSpark.jsc(),
                LocalSpark.jsc().broadcast(ModelSnapshot.of(g, "eval")), tokenizer, TinyTrainingFixture.CLASSES,
                TinyTrainingFixture.TEMPLATES, 3);
        assertEquals(local.numClasses(), distributed.numClasses());
        assertEquals(local.logitScale(), distributed.logitScale(), 0.0);
        var features = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, model.embedDim());
        float[][] a = local.logits(features);
        float[][] b = distributed.logits(features);
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                assertEquals(a[i][j], b[i][j], 1e-5f);
            }
        }
        assertTrue(Math.abs(a[0][0]) > 0);
    }
}
