package org.carotspark.job;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.MainRunner;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corrupt Parquet file is bad input: one line naming the file, exit 2, and the console configuration keeps Spark's
 * copies of the task's stack trace off stderr.
 */
class CorruptParquetTest {

    private static String failure(Path dir) {
        SparkSession spark = LocalSpark.session();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainRunner.runForExitCode("finetune", () -> spark.read().parquet(dir.toString()).collectAsList(),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, text);
        assertEquals(1, text.lines().count(), text);
        return text;
    }

    @Test
    void aFileThatIsNotParquetIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("part-00000.parquet"), "not parquet at all, just text".getBytes(StandardCharsets.UTF_8));
        String line = failure(dir);
        assertTrue(line.contains("part-00000.parquet") && line.contains("corrupt"), line);
    }

    @Test
    void aDamagedDataPageIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        SparkSession spark = LocalSpark.session();
        Path table = dir.resolve("table");
        spark.range(0, 20_000).selectExpr("id", "cast(id * 7 as string) as text").coalesce(1).write().parquet(
                table.toString());
        Path file;
        try (Stream<Path> s = Files.list(table)) {
            file = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 8; i < bytes.length / 2; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5a); // the pages; the footer at the end stays intact
        }
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        String line = failure(table);
        assertTrue(line.contains(file.getFileName().toString()) && line.contains("corrupt"), line);
    }

    @Test
    void theConsoleConfigurationKeepsTheExecutorsStackTraceOffStderr() {
        LoggerContext console = new LoggerContext("console-config-check", null,
                Path.of("..", "conf", "log4j2.properties").toUri());
        console.start();
        try {
            for (String logger : List.of("org.apache.spark.executor.Executor",
                    "org.apache.spark.scheduler.TaskSetManager")) {
                assertFalse(console.getLogger(logger).isEnabled(Level.WARN), logger + " warns with a stack trace");
            }
            assertTrue(console.getLogger("org.carotspark.job.FineTuneRun").isEnabled(Level.INFO));
        } finally {
            console.stop();
        }
    }
}
