package org.carotspark.train;

import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.SettingsFingerprint;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DataVersion;
import org.carotspark.ema.EmaTeacher;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipGraphBuilder;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.WeightDecayPolicy;
import org.carotspark.testing.TinyTrainingFixture;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which checkpoints a store keeps, resumes from and refuses, across changed settings and re-prepared data. */
class CheckpointStoreTest {

    private static final SettingsFingerprint THREE_EPOCHS = SettingsFingerprint.of(
            Map.of("carot.train.epochs", "3", "carot.train.learning-rate", "1e-05"));
    private static final SettingsFingerprint FIVE_EPOCHS = SettingsFingerprint.of(
            Map.of("carot.train.epochs", "5", "carot.train.learning-rate", "1e-05"));

    private final ClipModelConfig model = TinyTrainingFixture.model(TinyTrainingFixture.tokenizer());
    private final ComputationGraph graph = ClipGraphBuilder.build(model, new CarotLoss(0.2, 1.5, 0.05),
            new Adam(1e-3), WeightDecayPolicy.matricesOnly(0.01), DataType.FLOAT);

    private CheckpointStore store(Path dir, SettingsFingerprint fingerprint, String prepVersion, boolean restart) {
        // The version's content digest: versions ending in the same letter hold the same data.
        DataVersion data = new DataVersion(prepVersion, "content-" + prepVersion.charAt(prepVersion.length() - 1));
        return new CheckpointStore(dir.toString(), new Configuration(), fingerprint, data, restart);
    }

    private void save(CheckpointStore store, long step) {
        store.save("carot", graph, new EmaTeacher(graph.params().toFloatVector()), step);
    }

    private static List<String> checkpoints(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("carot"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+")).sorted().toList();
        }
    }

    @Test
    void aRerunWithChangedSettingsKeepsItsOwnCheckpointsWhateverStepsTheOldRunReached(@TempDir Path dir)
            throws Exception {
        CheckpointStore old = store(dir, THREE_EPOCHS, "v1", false);
        save(old, 10);
        save(old, 12);
        CheckpointStore changed = store(dir, FIVE_EPOCHS, "v1", false);
        assertNull(changed.restore("carot"), "a real change starts afresh");
        save(changed, 2);
        assertTrue(Files.isDirectory(dir.resolve("carot/step-2")), "the checkpoint just written is kept");
        assertEquals("step-2", Files.readString(dir.resolve("carot/LATEST"), StandardCharsets.UTF_8).strip());
        assertEquals(2, changed.restore("carot").step(), "a crash now resumes the changed run, not from zero");
        save(changed, 4);
        save(changed, 6);
        assertEquals(List.of("step-10", "step-12", "step-4", "step-6"), checkpoints(dir),
                "only the changed run's own older checkpoint is pruned; the other settings' are left alone");
        assertEquals(6, changed.restore("carot").step());
        assertEquals(12, old.restore("carot").step(), "the old settings' progress is still there");
    }

    @Test
    void aChangeOfSettingsNamesTheKeysThatDiffer() {
        assertEquals(List.of("carot.train.epochs"), FIVE_EPOCHS.differingKeys(THREE_EPOCHS.settings()));
        assertEquals("carot.train.epochs differs", FIVE_EPOCHS.describeDifference(THREE_EPOCHS.settings()));
        assertFalse(FIVE_EPOCHS.digest().equals(THREE_EPOCHS.digest()));
    }

    @Test
    void resumingAcrossAReprepIsRefusedInOneLineUnlessAskedToStartAfresh(@TempDir Path dir) throws Exception {
        save(store(dir, THREE_EPOCHS, "v20260101T000000Z-aaaa", false), 4);
        assertEquals(4, store(dir, THREE_EPOCHS, "v20260105T000000Z-cca", false).restore("carot").step(),
                "a prep run again over unchanged sources is a new version of the same data: resumed");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> store(dir, THREE_EPOCHS, "v20260202T000000Z-bbbb", false).restore("carot"));
        assertTrue(e.getMessage().contains("v20260101T000000Z-aaaa") && e.getMessage().contains("v20260202T000000Z-bbbb")
                && e.getMessage().contains(CheckpointStore.RESTART_ON_PREP_CHANGE), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");

        CheckpointStore afresh = store(dir, THREE_EPOCHS, "v20260202T000000Z-bbbb", true);
        assertNull(afresh.restore("carot"), "with the key, training starts afresh on the new data");
        save(afresh, 2);
        assertEquals(2, afresh.restore("carot").step(), "and then resumes its own progress");
        assertEquals(List.of("step-2", "step-4"), checkpoints(dir), "the other version's checkpoint is not pruned");
    }
}
