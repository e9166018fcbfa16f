package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a config for logs with every secret-looking value replaced, so S3 keys never reach a log. */
public final class ConfigRedaction {

    public static final String MASK = "***";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(secret|password|passwd|access[-.]?key|session[-.]?token|credential|token).*");

    private static final Pattern DEFINE = Pattern.compile("-D([^=\\s]+)=(\\S*)");
    private static final String JAVA_COMMAND = "sun.java.command";

    private ConfigRedaction() {
    }

    public static boolean isSecretPath(String path) {
        return SECRET_KEY.matcher(path).matches();
    }

    public static Config redact(Config config) {
        Config out = config;
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : config.entrySet()) {
            if (isSecretPath(e.getKey())) {
                out = out.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(MASK));
            }
        }
        return out;
    }

    /**
     * {@code command} with the value of every secret {@code -Dkey=value} masked. Spark writes the driver's
     * {@code sun.java.command} into the event log, and {@code -D} overrides are on that command line.
     */
    public static String redactCommandLine(String command) {
        Matcher m = DEFINE.matcher(command);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(isSecretPath(m.group(1).replace("\"", ""))
                    ? "-D" + m.group(1) + "=" + MASK : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Masks secret {@code -D} values in this JVM's {@code sun.java.command}, before Spark reads it. */
    public static void redactThisJvmsCommandLine() {
        String command = System.getProperty(JAVA_COMMAND);
        if (command != null) {
            System.setProperty(JAVA_COMMAND, redactCommandLine(command));
        }
    }

    /** The {@code carot} subtree as compact HOCON with secrets masked. */
    public static String render(Config config) {
        Config carot = config.hasPath("carot") ? config.getConfig("carot").atKey("carot") : config;
        return redact(carot).root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }
}
