package org.carotspark;

import org.carotspark.stage.PipelineStage;
import org.carotspark.stage.StageLauncher;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The entry points' naming scheme (docs/ARCHITECTURE.md, "Entry points"): what {@link StageLauncher} runs is a
 * {@code *Stage}, a tool with its own {@code main} a {@code *Command}, and {@code *Job} names only the two
 * unnamed-package classes users give {@code spark-submit --class}.
 */
class EntryPointNamesTest {

    /** Mains that are neither a stage nor a tool: the launcher itself and the bench's second rank process. */
    private static final Set<String> OTHER_MAINS = Set.of("StageLauncher", "CollectiveBench");
    private static final Set<String> SUBMIT_CLASSES = Set.of("FineTuneJob", "PrepareDataJob");

    @Test
    void everyRegisteredStageIsAStageWithAUniqueName() {
        Set<String> names = new HashSet<>();
        List<String> classes = new ArrayList<>();
        for (PipelineStage stage : ServiceLoader.load(PipelineStage.class)) {
            classes.add(stage.getClass().getSimpleName());
            assertTrue(stage.getClass().getSimpleName().endsWith("Stage"), stage.getClass().getName());
            assertTrue(names.add(stage.name()), "two stages named " + stage.name());
        }
        assertTrue(names.containsAll(Set.of("generate", "prep", "corrupt", "pretrain-corpus", "pretrain", "train",
                "demo", "study", "bounds", "bench", "config")), "stages found: " + names + " " + classes);
    }

    @Test
    void theSubmitClassesLaunchTheTrainAndPrepStages() throws Exception {
        assertEquals("FineTuneStage", StageLauncher.named("train").getClass().getSimpleName());
        assertEquals("PrepStage", StageLauncher.named("prep").getClass().getSimpleName());
        for (String submit : SUBMIT_CLASSES) {
            Class<?> c = Class.forName(submit, false, getClass().getClassLoader());
            assertEquals("", c.getPackageName(), submit + " is named without a package in spark-submit --class");
            c.getMethod("main", String[].class);
        }
    }

    @Test
    void everyOtherMainIsACommandAndNoPackagedClassIsAJob() throws IOException {
        List<String> misnamed = new ArrayList<>();
        for (String module : List.of("common", "data-prep", "spark-job")) {
            Path sources = Path.of("").toAbsolutePath().getParent().resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String name = f.getFileName().toString().replace(".java", "");
                    boolean packaged = !f.getParent().equals(sources);
                    boolean hasMain = Files.readString(f).contains("static void main(String");
                    if (packaged && name.endsWith("Job")
                            || hasMain && packaged && !name.endsWith("Command") && !OTHER_MAINS.contains(name)
                            || !packaged && !SUBMIT_CLASSES.contains(name)) {
                        misnamed.add(sources.relativize(f).toString());
                    }
                }
            }
        }
        assertTrue(misnamed.isEmpty(), "entry points outside the naming scheme: " + misnamed);
    }
}
