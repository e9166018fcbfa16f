package org.carotspark.text;

import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/carot tokenize --vocab FILE [--context-length N] TEXT...}: one JSON array of token ids
 * per text on stdout, exactly the ids the text tower gets (SOT, tokens, EOT, zero padding to the
 * context length). {@code --vocab} takes what {@link ClipBpeTokenizer#load} takes. The launcher's
 * {@code --config FILE} and {@code -Dkey=value} arguments are accepted and not used.
 */
public final class TokenizeCommand {

    static final String USAGE = "usage: bin/carot tokenize --vocab FILE [--context-length N] [--] TEXT...";

    private TokenizeCommand() {
    }

    public static void main(String[] args) {
        MainRunner.run("tokenize", () -> run(args, System.out));
    }

    static void run(String[] args, PrintStream out) {
        Path vocab = null;
        int contextLength = ClipBpeTokenizer.DEFAULT_CONTEXT_LENGTH;
        List<String> texts = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-")) {
                texts.add(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else if (a.equals("--vocab")) {
                vocab = Path.of(value(args, ++i, a));
            } else if (a.equals("--context-length")) {
                contextLength = contextLength(value(args, ++i, a));
            } else if (a.equals("--config")) {
                value(args, ++i, a);
            } else if (!(a.startsWith("-D") && a.indexOf('=') > 2) && !a.startsWith("--config=")) {
                throw new UserFacingException("unknown option '" + a + "'; " + USAGE);
            }
        }
        if (vocab == null) {
            throw new UserFacingException("--vocab is required; " + USAGE);
        }
        if (texts.isEmpty()) {
            throw new UserFacingException("no text given; " + USAGE);
        }
        ClipBpeTokenizer tokenizer = ClipBpeTokenizer.load(vocab, contextLength);
        for (String text : texts) {
            out.println(jsonArray(tokenizer.encode(text)));
        }
        out.flush();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UserFacingException(option + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private static int contextLength(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 2) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserFacingException("--context-length must be an integer >= 2, got '" + s + "'");
    }

    static String jsonArray(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 6).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]);
        }
        return sb.append(']').toString();
    }
}
