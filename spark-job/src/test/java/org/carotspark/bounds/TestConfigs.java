package org.carotspark.bounds;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Small configurations for tests: the real reference.conf with overrides on top. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Config with(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    /** A grid small enough for a unit test (a few seconds), with every variant present. */
    static String tinyGrid(String outputDir) {
        return String.join("\n",
                "carot.spark.master = \"local[2]\"",
                "carot.bounds.output-dir = \"" + outputDir.replace("\\", "\\\\") + "\"",
                "carot.bounds.seeds = [1, 2]",
                "carot.bounds.data { block1-dims = 40, block2-dims = 40, noise-dims = 20, block1-mean = 0.25, block2-mean = 0.25 }",
                "carot.bounds.data { train-size = 200, test-size = 300, ood-size = 300 }",
                "carot.bounds.ood.shift-strengths = [0.5, 1.0]",
                "carot.bounds.model { rep-dim = 8, steps = 60 }",
                "carot.bounds.regularizers { oc-strengths = [0.3], sd-strengths = [1.5] }");
    }
}
