package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * S3 keys and other secret values are refused when they come from a config file: profiles get copied, committed
 * and attached to bug reports. Secrets come from the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, read by reference.conf), the instance profile, or a {@code -D} option (which other
 * users of the machine can see in the process list: prefer the environment).
 */
final class SecretSources {

    /** Paths whose value is itself a secret (not, say, the class name of a credentials provider). */
    private static final Pattern SECRET_VALUE_PATH = Pattern.compile(
            "(?i).*(secret|secret[-.]?key|access[-.]?key|session[-.]?token|password|passwd|encryption[-.]?key)");

    private SecretSources() {
    }

    static boolean isSecretValuePath(String path) {
        return SECRET_VALUE_PATH.matcher(path.replace("\"", "")).matches();
    }

    /** @throws UserFacingException for the first non-empty secret written literally in a config file */
    static void refuseSecretsFromFiles(Config resolved) {
        if (!resolved.hasPath("carot")) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : resolved.withOnlyPath("carot").entrySet()) {
            ConfigValue v = e.getValue();
            if (!isSecretValuePath(e.getKey()) || v.valueType() == ConfigValueType.NULL
                    || String.valueOf(v.unwrapped()).isBlank()) {
                continue;
            }
            ConfigOrigin origin = v.origin();
            if (origin.filename() != null || origin.url() != null) {
                throw new UserFacingException(e.getKey() + " is set in the config file " + origin.description()
                        + ": secrets are never read from config files; give S3 keys through the environment "
                        + "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the instance profile");
            }
        }
    }
}
