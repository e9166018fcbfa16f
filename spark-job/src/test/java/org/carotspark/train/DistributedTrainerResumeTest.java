package org.carotspark.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.config.UserFacingException;
import org.carotspark.ema.EmaSettings;
import org.carotspark.ema.EmaTeacher;
import org.carotspark.loss.CarotLoss;
import org.carotspark.loss.LossTerms;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ParamInit;
import org.carotspark.model.WeightDecayPolicy;
import org.carotspark.testing.LocalSpark;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.minibatch.CaptionSampler;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.carotspark.testing.TinyTrainingFixture.CLASSES;
import static org.carotspark.testing.TinyTrainingFixture.TEMPLATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job killed after an epoch resumes from its checkpoint and ends where an uninterrupted run ends. */
class DistributedTrainerResumeTest {

    private final SimpleWordTokenizer tokenizer = TinyTrainingFixture.tokenizer();
    private final ClipModelConfig model = TinyTrainingFixture.model(tokenizer);
    // 2 workers x 4, averaging every 2 steps, EMA every 2 steps, 3 epochs of 4 steps, a checkpoint every 2 steps.
    private final TrainingSettings settings = TinyTrainingFixture.trainingSettings("learning-rate", 1e-3,
            "weight-decay", 0.01, "warmup-steps", 2, "global-batch-size", 8, "epochs", 3, "workers", 2,
            "averaging-frequency", 2, "shuffle-seed", 7, "caption-seed", 11, "checkpoint-every-epochs", 1,
            "checkpoint-every-steps", 2);
    /** The random tensors of one tiny CLIP: patch conv, token table, cls, pos ×2, 8 block matrices, 2 projections. */
    private static final long PARAMETER_TENSORS = 15;
    private final EmaSettings ema = new EmaSettings(2, 0.05, 0.9, 0.2);

    private static Dataset<Row> trainSplit() throws Exception {
        return TinyTrainingFixture.trainSplit(35, 2);
    }

    private TrainingOutcome train(CheckpointStore store) throws Exception {
        ComputationGraph g = TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05), settings, 12);
        DistributedTrainer trainer = new DistributedTrainer(LocalSpark.jsc(), settings, ema, tokenizer,
                new CaptionSampler(CLASSES, TEMPLATES, 5), TinyTrainingFixture.trainImages(), store);
        return trainer.train(Method.CAROT, g, trainSplit());
    }

    @Test
    void aRunResumedMidEpochOrFromAFallbackEndsExactlyWhereTheUninterruptedRunEnds(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "cfg1");
        long drawsBefore = ParamInit.draws();
        TrainingOutcome full = train(store);
        assertEquals(12, full.steps());
        assertTrue(full.teacherUpdates() >= 5, "EMA teacher updated at each multiple of 2 steps");
        // The objective's terms come back from the executors by name: the last round is 2 steps on 2 workers.
        LossTerms terms = full.lastRoundTerms();
        assertEquals(List.of("loss", "contrastive", "distillation", "orthogonality", "cross"), terms.names());
        assertEquals(4, terms.minibatches());
        for (double v : terms.means()) {
            assertTrue(v > 0 && Double.isFinite(v), "loss terms " + terms);
        }
        // Only the student's own graph drew random parameters; executor graphs are built around received ones.
        assertEquals(PARAMETER_TENSORS, ParamInit.draws() - drawsBefore);
        Path methodDir = dir.resolve("carot");
        assertTrue(Files.exists(methodDir.resolve("step-12")) && Files.exists(methodDir.resolve("step-10"))
                && !Files.exists(methodDir.resolve("step-8")), "the newest checkpoint and the one before are kept");

        // A re-run of the finished job restores the final state instead of training again.
        assertEquals(full.student().params(), train(store).student().params());

        // Killed after step 10, in the middle of epoch 3: resumes at that round.
        Files.writeString(methodDir.resolve("LATEST"), "step-10", StandardCharsets.UTF_8);
        Files.deleteIfExists(methodDir.resolve(".LATEST.crc")); // written behind Hadoop's back
        assertEquals(10, store.restore("carot").step());
        TrainingOutcome resumed = train(store);
        assertEquals(12, resumed.steps());
        assertEquals(full.student().params(), resumed.student().params(), "mid-epoch resume is exact");

        // The newest student truncated and LATEST empty: the older checkpoint that verifies is used.
        Path student = methodDir.resolve("step-12").resolve(CheckpointStore.STUDENT);
        byte[] bytes = Files.readAllBytes(student);
        Files.write(student, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(methodDir.resolve("step-12").resolve("." + CheckpointStore.STUDENT + ".crc"));
        Files.writeString(methodDir.resolve("LATEST"), "", StandardCharsets.UTF_8);
        Files.deleteIfExists(methodDir.resolve(".LATEST.crc"));
        assertEquals(10, store.restore("carot").step());
        assertEquals(full.student().params(), train(store).student().params(), "falls back and trains to the end");
    }

    /**
     * A finished run, then a rerun in the same directory with a changed setting (one epoch instead of three): the
     * rerun's checkpoints survive the old run's higher step numbers, so a kill after it resumes where it was.
     */
    @Test
    void aRerunWithAChangedSettingKeepsItsOwnProgress(@TempDir Path dir) throws Exception {
        CheckpointStore threeEpochs = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(),
                "three-epochs");
        assertEquals(12, train(threeEpochs).steps());
        TrainingSettings oneEpoch = TinyTrainingFixture.trainingSettings("learning-rate", 1e-3, "weight-decay", 0.01,
                "warmup-steps", 2, "global-batch-size", 8, "epochs", 1, "workers", 2, "averaging-frequency", 2,
                "shuffle-seed", 7, "caption-seed", 11, "checkpoint-every-epochs", 1, "checkpoint-every-steps", 2);
        CheckpointStore changed = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(),
                "one-epoch");
        ComputationGraph g = TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05), oneEpoch, 4);
        TrainingOutcome rerun = new DistributedTrainer(LocalSpark.jsc(), oneEpoch, ema, tokenizer,
                new CaptionSampler(CLASSES, TEMPLATES, 5), TinyTrainingFixture.trainImages(), changed)
                .train(Method.CAROT, g, trainSplit());
        assertEquals(0, rerun.resumedFromStep(), "other settings: trained afresh");
        Path methodDir = dir.resolve("carot");
        assertTrue(Files.isDirectory(methodDir.resolve("step-4")) && Files.isDirectory(methodDir.resolve("step-2")),
                "the rerun's own checkpoints are kept");
        assertTrue(Files.isDirectory(methodDir.resolve("step-12")), "and the other settings' are left alone");
        assertEquals(4, changed.restore("carot").step(), "a kill now resumes the rerun, not from zero");
        assertEquals(rerun.student().params(), changed.restore("carot").student().params());
    }

    @Test
    void aCheckpointThatCannotBeWrittenIsOneLineAndLeavesNothingThatLooksComplete(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("carot"), "a file where the method's directory should be");
        CheckpointStore store = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "cfg1");
        ComputationGraph g = TrainingGraphFactory.build(model, new CarotLoss(0.2, 1.5, 0.05), settings, 12);
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> store.save("carot", g, new EmaTeacher(g.params().toFloatVector()), 4));
        assertTrue(e.getMessage().startsWith("cannot write the checkpoint " + new org.apache.hadoop.fs.Path(
                "file:" + dir.resolve("carot").resolve("step-4"))) || e.getMessage().contains("step-4"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsIgnored(@TempDir Path dir) throws Exception {
        CheckpointStore writer = new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "old");
        ComputationGraph g = ClipGraphBuilder.build(model, new CarotLoss(0.2, 1.5, 0.05), new Adam(1e-3), WeightDecayPolicy.matricesOnly(0.01), DataType.FLOAT);
        writer.save("carot", g, new EmaTeacher(g.params().toFloatVector()), 4);
        assertNotNull(writer.restore("carot"));
        assertNull(new CheckpointStore(dir.toString(), LocalSpark.jsc().hadoopConfiguration(), "new").restore("carot"));
        assertNull(CheckpointStore.disabled().restore("carot"));
    }
}
