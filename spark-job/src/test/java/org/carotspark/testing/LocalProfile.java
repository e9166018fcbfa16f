package org.carotspark.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Path;

/** conf/local.conf, the built-in run's profile (its tiny CLIP), over the reference defaults. */
public final class LocalProfile {

    private LocalProfile() {
    }

    public static Config load() {
        // Maven runs a module's tests in the module's directory.
        Path profile = Path.of("..", "conf", "local.conf");
        return ConfigFactory.parseFile(profile.toFile()).withFallback(ConfigFactory.defaultReferenceUnresolved())
                .resolve();
    }
}
