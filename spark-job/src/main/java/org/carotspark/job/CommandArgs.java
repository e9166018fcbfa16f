package org.carotspark.job;

import org.carotspark.config.UserFacingException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} arguments of a tool command ({@code embed}, {@code zeroshot-head}). The launcher's
 * own {@code --config FILE} and {@code -Dkey=value} arguments are accepted and ignored: these tools read no
 * configuration.
 */
final class CommandArgs {

    private final String command;
    private final Map<String, String> values = new HashMap<>();

    CommandArgs(String command, String[] args, Set<String> known) {
        this.command = command;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-D")) {
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new UserFacingException("unexpected argument '" + a + "' (" + usage(known) + ")");
            }
            String name = a.substring(2);
            if (!known.contains(name) && !name.equals("config")) {
                throw new UserFacingException("unknown option --" + name + " (" + usage(known) + ")");
            }
            values.put(name, args[++i]);
        }
    }

    private String usage(Set<String> known) {
        return "bin/carot " + command + " takes --" + String.join(" VALUE --", known) + " VALUE";
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            throw new UserFacingException("bin/carot " + command + " needs --" + name);
        }
        return v;
    }

    /**
     * A required output file, checked before any work: its directory must exist (a typo there would otherwise
     * surface only after the model ran, as an I/O error) and the path must not be a directory.
     */
    java.nio.file.Path outputFile(String name) {
        java.nio.file.Path out = java.nio.file.Path.of(required(name)).toAbsolutePath();
        java.nio.file.Path parent = out.getParent();
        if (parent == null || !java.nio.file.Files.isDirectory(parent)) {
            throw new UserFacingException("--" + name + " " + out + ": the directory " + parent
                    + " does not exist (create it first)");
        }
        if (java.nio.file.Files.isDirectory(out)) {
            throw new UserFacingException("--" + name + " " + out + " is a directory: give a file name");
        }
        return out;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
