package org.carotspark.job;

import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.UserFacingException;
import org.carotspark.ema.EmaTeacher;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.testing.SmallTmpfs;
import org.carotspark.testing.TinyTrainingFixture;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.TrainingGraphFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checkpoints and the report onto a really full disk (a 4 MB tmpfs filled up): one line naming the path,
 * nothing partial left that looks complete, the previous checkpoint and report intact, and the next write
 * succeeds once there is space again.
 */
class FullDiskTest {

    private static SmallTmpfs disk;

    @BeforeAll
    static void mount() throws Exception {
        disk = SmallTmpfs.mount(4);
        assumeTrue(disk != null, "mounting a tmpfs needs root; the full-disk cases are not run here");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aCheckpointThatDoesNotFitIsOneLineAndTheLastCompleteOneStillResumes() throws Exception {
        ComputationGraph g = TrainingGraphFactory.build(TinyTrainingFixture.model(TinyTrainingFixture.tokenizer()),
                CarotLoss.CONTRASTIVE_ONLY, TinyTrainingFixture.trainingSettings(), 10);
        EmaTeacher teacher = new EmaTeacher(ModelSnapshot.flatParams(g));
        Path root = disk.dir().resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(root.toString(), new Configuration(), "fingerprint");
        store.save("carot", g, teacher, 2);
        disk.fillLeaving(4096);
        try {
            UserFacingException e = assertThrows(UserFacingException.class, () -> store.save("carot", g, teacher, 4));
            assertTrue(e.getMessage().startsWith("cannot write the checkpoint ") && e.getMessage().contains("step-4")
                    && e.getMessage().contains("No space left on device") && !e.getMessage().contains("\n"),
                    e.getMessage());
            try (Stream<Path> files = Files.list(root.resolve("carot"))) {
                assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("step-4")),
                        "no partial step-4 left behind");
            }
            CheckpointStore.Restored r = store.restore("carot");
            assertNotNull(r);
            assertEquals(2, r.step(), "resumes from the last complete checkpoint");
        } finally {
            disk.empty();
        }
        store.save("carot", g, teacher, 4);
        assertEquals(4, store.restore("carot").step(), "with space again the next checkpoint is written");
    }

    @Test
    void aReportThatDoesNotFitIsOneLineAndThePreviousReportStays() throws Exception {
        Path out = Files.createDirectories(disk.dir().resolve("run"));
        ReportWriter.write(out, List.of(new ResultRow("carot", "imagenet", 100, 0.8, 0.05, 0.03, 1.2)), Map.of());
        String before = Files.readString(out.resolve("report.json"));
        disk.fillLeaving(1024);
        try {
            UserFacingException e = assertThrows(UserFacingException.class, () -> ReportWriter.write(out,
                    List.of(new ResultRow("carot", "imagenet", 100, 0.9, 0.01, 0.01, 1.0)), Map.of("big", "x".repeat(8192))));
            assertTrue(e.getMessage().startsWith("cannot write the report to ")
                    && e.getMessage().contains("No space left on device") && !e.getMessage().contains("\n"), e.getMessage());
            assertEquals(before, Files.readString(out.resolve("report.json")), "the previous report is intact");
            try (Stream<Path> files = Files.list(out)) {
                assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no partial file left");
            }
        } finally {
            disk.empty();
        }
    }
}
