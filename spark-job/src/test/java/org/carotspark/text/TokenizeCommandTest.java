package org.carotspark.text;

import org.carotspark.config.UserFacingException;
import org.carotspark.testing.ClipReferenceFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenizeCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsOneJsonArrayPerTextIgnoringTheLaunchersArguments() {
        String vocab = ClipReferenceFixture.openAiVocabulary().toString();
        String out = run("-Dcarot.spark.master=local[2]", "--config", "conf/local.conf",
                "--vocab", vocab, "--context-length", "8", "a photo of a cat", "--", "-a diagram");
        assertEquals("[49406,320,1125,539,320,2368,49407,0]\n[49406,268,320,22697,49407,0,0,0]\n", out);
    }

    @Test
    void defaultContextIs77() {
        String out = run("--vocab", ClipReferenceFixture.openAiVocabulary().toString(), "a cat");
        assertEquals(77, out.trim().split(",").length);
    }

    @Test
    void usageErrorsAreOneLine() {
        assertTrue(assertThrows(UserFacingException.class, () -> run("a cat")).getMessage().contains("--vocab is required"));
        assertTrue(assertThrows(UserFacingException.class, () -> run("--vocab", "x.gz")).getMessage().contains("no text"));
        assertTrue(assertThrows(UserFacingException.class, () -> run("--vocab", "x.gz", "--context-length", "1", "t"))
                .getMessage().contains("--context-length must be an integer >= 2"));
        assertTrue(assertThrows(UserFacingException.class, () -> run("--vocab", "x.gz", "-Dog", "t"))
                .getMessage().contains("unknown option '-Dog'"));
        assertTrue(assertThrows(UserFacingException.class, () -> run("--vocab", "/no/such/vocab.txt.gz", "t"))
                .getMessage().contains("not found"));
    }
}
