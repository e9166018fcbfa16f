package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>A relative config path, and a relative path inside a profile, resolve against the working
 * directory of the JVM, which {@code bin/carot} leaves as the caller's (as every command-line tool
 * does); an {@code include} resolves against the including file's directory.
 *
 * <p>{@code -Dspark.x=y} is a Spark property: it is forwarded to the SparkConf (as
 * {@code carot.spark.conf."spark.x"}, over any profile value). Other {@code -D} options outside {@code carot.}
 * and settings under {@code carot.} that no reference.conf defines are warned about, with the nearest known key,
 * or fatal when {@code carot.strict-config} is true. Secrets written in a config file are refused.
 */
public final class CarotConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(CarotConfigLoader.class);
    private static final String CAROT_PREFIX = "carot.";
    private static final String SPARK_PREFIX = "spark.";
    /** Makes unknown settings fatal instead of a warning. */
    public static final String STRICT_KEY = "carot.strict-config";

    private CarotConfigLoader() {
    }

    /** The parsed command line, before it is turned into a Config. */
    public record CommandLine(File configFile, Map<String, String> overrides) {
    }

    public static Config load(String[] args) {
        return load(parse(args));
    }

    public static Config load(CommandLine commandLine) {
        Map<String, String> carotOverrides = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        commandLine.overrides().forEach((key, value) -> {
            if (key.startsWith(CAROT_PREFIX)) {
                carotOverrides.put(key, value);
            } else if (key.startsWith(SPARK_PREFIX)) {
                // A Spark property: forwarded to the SparkConf through carot.spark.conf, where -D wins.
                carotOverrides.put(ConfigUtil.joinPath("carot", "spark", "conf", key), value);
            } else {
                ignored.add(key);
            }
        });
        Config overrides = overrides(carotOverrides);
        Config file = ConfigFactory.empty();
        if (commandLine.configFile() != null) {
            File f = commandLine.configFile();
            if (!f.isFile()) {
                throw new UserFacingException("config file not found: " + f.getPath());
            }
            // Absolute, because the config library resolves `include "x.conf"` against the including
            // file's parent directory, and a bare name (`emr.conf`, as spark-submit --files hands it to a
            // cluster-mode driver) has none: its includes were dropped without a word.
            file = ConfigFactory.parseFile(f.getAbsoluteFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        Config resolved = overrides
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(file)
                // Unresolved, so that ${carot.data.raw-root}-style defaults follow a file's or -D's override.
                .withFallback(ConfigFactory.defaultReferenceUnresolved())
                .resolve();
        SecretSources.refuseSecretsFromFiles(resolved);
        checkKnown(resolved, ignored);
        return resolved;
    }

    /** Unknown carot.* settings and -D options outside carot.* / spark.*: warnings, or one error when strict. */
    private static void checkKnown(Config resolved, List<String> ignoredOptions) {
        List<String> problems = new ArrayList<>(UnknownSettings.fromReference().describeUnknown(resolved));
        for (String key : ignoredOptions) {
            problems.add("-D" + key + " is not read (only carot.* settings and spark.* Spark properties are)");
        }
        if (problems.isEmpty()) {
            return;
        }
        boolean strict = resolved.hasPath(STRICT_KEY) && resolved.getBoolean(STRICT_KEY);
        if (strict) {
            throw new UserFacingException(String.join("; ", problems) + " (" + STRICT_KEY + " = true)");
        }
        problems.forEach(p -> LOG.warn("{} (ignored; {} = true makes this an error)", p, STRICT_KEY));
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
