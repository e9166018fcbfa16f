package org.carotspark.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SameDiffStdoutFilterTest {

    @Test
    void dropsOnlySameDiffsPerOpLines() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            SameDiffStdoutFilter.install();
            SameDiffStdoutFilter.install();
            System.out.println("Added differentiated op matmul_3");
            System.out.println("| method | imagenet |");
        } finally {
            System.setOut(original);
        }
        assertEquals("| method | imagenet |" + System.lineSeparator(), captured.toString(StandardCharsets.UTF_8));
    }
}
