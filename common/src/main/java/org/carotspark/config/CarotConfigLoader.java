package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a command line into one resolved Typesafe {@link Config}.
 *
 * <p>Precedence, highest first: {@code -Dkey=value} arguments, JVM system properties (so
 * {@code spark-submit --driver-java-options -Dkey=value} works too), the config file given as
 * {@code --config FILE} or as the single positional argument (the {@code spark-submit --class
 * FineTuneJob job.jar conf/local.conf} form), then every {@code reference.conf} on the classpath.
 */
public final class CarotConfigLoader {

    private CarotConfigLoader() {
    }

    /** The parsed command line, before it is turned into a Config. */
    public record CommandLine(File configFile, Map<String, String> overrides) {
    }

    public static Config load(String[] args) {
        return load(parse(args));
    }

    public static Config load(CommandLine commandLine) {
        Config overrides = overrides(commandLine.overrides());
        Config file = ConfigFactory.empty();
        if (commandLine.configFile() != null) {
            File f = commandLine.configFile();
            if (!f.isFile()) {
                throw new UserFacingException("config file not found: " + f.getPath());
            }
            file = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        }
        return overrides
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(file)
                // Unresolved, so that ${carot.data.raw-root}-style defaults follow a file's or -D's override.
                .withFallback(ConfigFactory.defaultReferenceUnresolved())
                .resolve();
    }

    /**
     * {@code -Dkey=value} pairs as config values. A value in brackets or braces is read as HOCON
     * ({@code -Dcarot.methods=[flyp,carot]}); anything else stays a plain string, which keeps
     * {@code s3a://bucket/x} intact and still converts to numbers and booleans on read.
     */
    static Config overrides(Map<String, String> pairs) {
        Config out = ConfigFactory.empty();
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            String v = e.getValue().trim();
            ConfigValue value;
            if (v.startsWith("[") || v.startsWith("{")) {
                try {
                    value = ConfigFactory.parseString("v = " + v).getValue("v");
                } catch (ConfigException ex) {
                    throw new UserFacingException("malformed value for -D" + e.getKey() + ": " + ex.getMessage());
                }
            } else {
                value = ConfigValueFactory.fromAnyRef(e.getValue(), "command-line -D" + e.getKey());
            }
            try {
                out = out.withValue(e.getKey(), value);
            } catch (ConfigException ex) {
                throw new UserFacingException("malformed key in -D" + e.getKey() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    public static CommandLine parse(String[] args) {
        File configFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new UserFacingException("--config needs a file argument");
                }
                configFile = new File(args[++i]);
            } else if (a.startsWith("--config=")) {
                configFile = new File(a.substring("--config=".length()));
            } else if (a.startsWith("-D")) {
                int eq = a.indexOf('=');
                if (eq <= 2) {
                    throw new UserFacingException("malformed override '" + a + "': expected -Dkey=value");
                }
                overrides.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (a.startsWith("-")) {
                throw new UserFacingException("unknown option '" + a + "' (expected --config FILE or -Dkey=value)");
            } else {
                positional.add(a);
            }
        }
        if (configFile == null && positional.size() == 1 && positional.get(0).endsWith(".conf")) {
            configFile = new File(positional.remove(0));
        }
        if (!positional.isEmpty()) {
            throw new UserFacingException("unexpected argument(s) " + positional
                    + " (expected [--config FILE | FILE.conf] [-Dkey=value ...])");
        }
        return new CommandLine(configFile, overrides);
    }
}
