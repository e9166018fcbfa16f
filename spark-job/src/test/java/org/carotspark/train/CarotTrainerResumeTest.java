package org.carotspark.train;

import org.carotspark.loss.CarotObjective;
import org.carotspark.loss.LossTerms;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.ema.EmaSettings;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job killed after an epoch resumes from its checkpoint and ends where an uninterrupted run ends. */
class CarotTrainerResumeTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    // 2 workers x 4, averaging every 2 steps, EMA every 2 steps, 3 epochs of 4 steps.
    private final TrainingSettings settings = new TrainingSettings(0.2, 1.5, 1e-3, 0.01, 0.9, 0.999, 1e-8, 2, 8, 3,
            0, 2, 2, 7, 11, 1);
    private final EmaSettings ema = new EmaSettings(2, 0.05, 0.9, 0.2);

    private static Dataset<Row> trainSplit() throws Exception {
        Random r = new Random(2);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            rows.add(RowFactory.create("imagenet-train/x/" + i + ".JPEG", i % 3, TinyTrainingFixture.randomJpeg(r)));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("image", DataTypes.BinaryType);
        return LocalSpark.session().createDataFrame(rows, schema);
    }

    private TrainingOutcome train(CheckpointStore store) throws Exception {
        ComputationGraph g = ClipGraphBuilder.build(model, new CarotObjective(0.2, 1.5), new Adam(1e-3), 0.01, DataType.FLOAT);
        CarotTrainer trainer = new CarotTrainer(LocalSpark.jsc(), settings, ema, tokenizer,
                new CaptionSampler(CLASSES, TEMPLATES, 5), 8, store);
        return trainer.train(Method.CAROT, g, trainSplit());
    }

    @Test
    void resumedRunMatchesTheUninterruptedOne(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "cfg1");
        TrainingOutcome full = train(store);
        assertEquals(12, full.steps());
        assertTrue(full.teacherUpdates() >= 5, "EMA teacher updated at each multiple of 2 steps");
        // The objective's terms come back from the executors by name: the last round is 2 steps on 2 workers.
        LossTerms terms = full.lastRoundTerms();
        assertEquals(List.of("loss", "contrastive", "distillation", "orthogonality"), terms.names());
        assertEquals(4, terms.minibatches());
        for (double v : terms.means()) {
            assertTrue(v > 0 && Double.isFinite(v), "loss terms " + terms);
        }
        Path methodDir = dir.resolve("carot");
        assertTrue(Files.exists(methodDir.resolve("epoch-3")));

        // A re-run of the finished job restores the final state instead of training again.
        TrainingOutcome again = train(store);
        assertEquals(full.student().params(), again.student().params());

        // "Kill" after epoch 2: point LATEST back at the kept previous checkpoint.
        assertTrue(Files.exists(methodDir.resolve("epoch-2")) && !Files.exists(methodDir.resolve("epoch-1")),
                "the newest and the previous checkpoint are kept");
        Files.writeString(methodDir.resolve("LATEST"), "epoch-2", StandardCharsets.UTF_8);
        Files.deleteIfExists(methodDir.resolve(".LATEST.crc")); // written behind Hadoop's back
        CheckpointStore.Restored restored = store.restore("carot");
        assertEquals(8, restored.step());
        assertEquals(2, restored.epochsDone());
        TrainingOutcome resumed = train(store);
        assertEquals(12, resumed.steps());
        INDArray a = full.student().params();
        INDArray b = resumed.student().params();
        double maxDiff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-4, "resumed training ends where the uninterrupted run ends (max |Δθ| " + maxDiff + ")");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsIgnored(@TempDir Path dir) throws Exception {
        CheckpointStore writer = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "old");
        ComputationGraph g = ClipGraphBuilder.build(model, new CarotObjective(0.2, 1.5), new Adam(1e-3), 0.01, DataType.FLOAT);
        writer.save("carot", g, new org.carotspark.ema.EmaTeacher(g.params().data().asFloat()), 4, 1);
        assertNotNull(writer.restore("carot"));
        assertNull(new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "new").restore("carot"));
        assertNull(CheckpointStore.disabled().restore("carot"));
    }
}
