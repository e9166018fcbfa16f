package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * One log line with the model size and the data paths a run resolved, and the file each came from,
 * so a profile that did not load as intended (say, an include dropped and the tiny built-in model
 * trained on default paths) is visible at the top of the log instead of after hours of training.
 */
public final class RunSummary {

    private static final Logger LOG = LoggerFactory.getLogger(RunSummary.class);
    private static final List<String> DATA_PATHS = List.of("carot.data.parquet-root", "carot.data.metadata.synsets",
            "carot.data.metadata.classnames", "carot.data.metadata.templates", "carot.output-dir",
            "carot.train.checkpoint-dir");

    private RunSummary() {
    }

    public static void log(Config config) {
        LOG.info("{}", line(config));
    }

    public static String line(Config config) {
        Config m = config.getConfig("carot.model");
        StringBuilder s = new StringBuilder(String.format(
                "Run: model image %d/patch %d, vision %dx%d (%d heads), text %dx%d (%d heads), embed %d [%s];",
                m.getInt("image-size"), m.getInt("patch-size"), m.getInt("vision-width"), m.getInt("vision-layers"),
                m.getInt("vision-heads"), m.getInt("text-width"), m.getInt("text-layers"), m.getInt("text-heads"),
                m.getInt("embed-dim"), source(config, "carot.model.vision-width")));
        for (String path : DATA_PATHS) {
            s.append(' ').append(path.substring(path.lastIndexOf('.') + 1)).append(' ')
                    .append(config.getString(path)).append(" [").append(source(config, path)).append("];");
        }
        return s.append(" methods ").append(config.getStringList("carot.methods")).toString();
    }

    /** The file a value was set in, by name: reference.conf, emr.conf, imagenet-paths.conf, -D... */
    private static String source(Config config, String path) {
        ConfigOrigin origin = config.getValue(path).origin();
        String where = origin.resource() != null ? origin.resource()
                : origin.filename() != null ? origin.filename() : origin.description();
        // A value built by substitution has a merged origin that ends in its line: "imagenet-paths.conf: 7".
        where = where.replaceFirst(":\\s*\\d+(-\\d+)?$", "");
        return where.startsWith("command-line") ? where : where.substring(where.lastIndexOf('/') + 1);
    }
}
