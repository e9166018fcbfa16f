package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

import java.util.Map;
import java.util.regex.Pattern;

/** Renders a config for logs with every secret-looking value replaced, so S3 keys never reach a log. */
public final class ConfigRedaction {

    public static final String MASK = "***";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(secret|password|passwd|access[-.]?key|session[-.]?token|credential|token).*");

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

    /** The {@code carot} subtree as compact HOCON with secrets masked. */
    public static String render(Config config) {
        Config carot = config.hasPath("carot") ? config.getConfig("carot").atKey("carot") : config;
        return redact(carot).root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }
}
