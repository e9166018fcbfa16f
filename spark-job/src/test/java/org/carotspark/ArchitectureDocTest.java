package org.carotspark;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/ARCHITECTURE.md describes the code as it is: in it a name in backticks is a name in the Java sources (a
 * project class or what one imports), outside names (open_clip's, PyTorch's) go without backticks. Every
 * backticked name that looks like a class (starts upper-case, has a lower-case letter) must occur as a word in some
 * .java file of the repository, so a class renamed or removed without the map following shows up here by name.
 */
class ArchitectureDocTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BACKTICKED = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern CLASS_LIKE = Pattern.compile("\\b[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\\b");
    /** Directories that hold no hand-written sources: build output, demo data, VCS and tool state. */
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "build", "node_modules");

    @Test
    void everyBacktickedClassNameOccursInTheJavaSources() throws IOException {
        Path doc = REPOSITORY.resolve("docs/ARCHITECTURE.md");
        assertTrue(Files.isRegularFile(doc), "run through Maven from spark-job/: needs " + doc);
        SortedSet<String> names = classLikeNames(Files.readString(doc));
        assertTrue(names.size() > 100, "too few backticked class names found to trust the check: " + names);
        Set<String> missing = missing(names, javaWords(REPOSITORY));
        assertTrue(missing.isEmpty(), "backticked in docs/ARCHITECTURE.md but in no .java file of the repository"
                + " (a renamed or removed class, or an outside name that should go without backticks): " + missing);
    }

    /** The check can fail: a bogus class name is reported, and only it (outside and lower-case names are not checked). */
    @Test
    void aNameInNoJavaFileIsReported() throws IOException {
        String bogus = "NoSuchClass" + "Anywhere"; // built here so that no .java file holds it as one word
        String markdown = "`Seeds` and `" + bogus + ".run()`, open_clip's CLIP, `carot.train.mode`, `META-INF`";
        SortedSet<String> names = classLikeNames(markdown);
        assertEquals(new TreeSet<>(Set.of("Seeds", bogus)), names);
        assertEquals(Set.of(bogus), missing(names, javaWords(REPOSITORY)));
    }

    static SortedSet<String> classLikeNames(String markdown) {
        SortedSet<String> names = new TreeSet<>();
        Matcher code = BACKTICKED.matcher(markdown);
        while (code.find()) {
            Matcher name = CLASS_LIKE.matcher(code.group(1));
            while (name.find()) {
                names.add(name.group());
            }
        }
        return names;
    }

    private static Set<String> missing(Set<String> names, Set<String> javaWords) {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(javaWords);
        return missing;
    }

    /** Every identifier-like word of every .java file under {@code root}. */
    private static Set<String> javaWords(Path root) throws IOException {
        Set<String> words = new HashSet<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(root) && (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.toString().endsWith(".java")) {
                    for (String word : Files.readString(file).split("[^A-Za-z0-9_$]+")) {
                        words.add(word);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return words;
    }
}
