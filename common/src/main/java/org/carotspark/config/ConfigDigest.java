package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest of the resolved values under some config paths, e.g. the settings a checkpoint
 * depends on, so a changed config never resumes a stale checkpoint. Keys are rendered in sorted order
 * without comments or origins: the digest depends on values only.
 */
public final class ConfigDigest {

    private ConfigDigest() {
    }

    public static String sha256(Config config, String... paths) {
        StringBuilder rendered = new StringBuilder();
        for (String path : paths) {
            rendered.append(path).append('=');
            rendered.append(config.hasPath(path)
                    ? config.getValue(path).render(ConfigRenderOptions.concise()) : "<absent>");
            rendered.append('\n');
        }
        return sha256Hex(rendered.toString());
    }

    /** The SHA-256 of a text's UTF-8 bytes, in hex. */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
