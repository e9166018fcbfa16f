package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.SettingsFingerprint;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.train.CheckpointStore;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a fine-tuning run's checkpoints and finished evaluations are valid for: the settings that determine the
 * numbers (model, loss, optimisation, schedule, seeds, sweep, baselines; for evaluation also how it evaluates), with
 * the pretrained model and the metadata files identified by their content rather than their location. Where files
 * are and how often to checkpoint are operational: changing them, or moving the run, resumes. The data is tied by its
 * prep version, checked separately (a changed version is refused rather than silently restarted).
 */
final class RunFingerprints {

    /** The settings a checkpoint depends on. */
    private static final List<String> TRAINING = List.of("carot.model", "carot.train", "carot.loss", "carot.sweep",
            "carot.baselines");
    /** What evaluation rows depend on besides training. */
    private static final List<String> EVALUATION = List.of("carot.eval");
    /** Operational keys: where things are and how often progress is saved. */
    private static final Set<String> OPERATIONAL = Set.of("carot.train.checkpoint-every-epochs",
            "carot.train.checkpoint-every-steps", "carot.train.checkpoint-dir", "carot.train.min-pairs-per-worker",
            "carot.train.collective.max-segment-steps", "carot.train.collective.timeout",
            CheckpointStore.RESTART_ON_PREP_CHANGE, "carot.model.checkpoint", "carot.model.vocab");
    /** Location keys whose content determines the numbers: identified by a content digest. */
    private static final List<String> MODEL_FILES = List.of("carot.model.checkpoint", "carot.model.vocab");
    private static final List<String> TRAINING_METADATA = List.of("carot.data.metadata.synsets",
            "carot.data.metadata.classnames", "carot.data.metadata.templates");
    private static final List<String> EVALUATION_METADATA = List.of("carot.data.metadata.imagenet-r-indices",
            "carot.data.metadata.imagenet-a-indices", "carot.data.metadata.devkit-synsets",
            "carot.data.metadata.objectnet-mappings");

    private RunFingerprints() {
    }

    static SettingsFingerprint training(Config config, Configuration hadoop) {
        Map<String, String> content = contentOf(config, MODEL_FILES, hadoop);
        content.putAll(contentOf(config, TRAINING_METADATA, hadoop));
        return SettingsFingerprint.of(config, TRAINING, OPERATIONAL, content);
    }

    static SettingsFingerprint evaluation(Config config, Configuration hadoop) {
        Map<String, String> content = contentOf(config, MODEL_FILES, hadoop);
        content.putAll(contentOf(config, TRAINING_METADATA, hadoop));
        content.putAll(contentOf(config, EVALUATION_METADATA, hadoop));
        List<String> paths = new java.util.ArrayList<>(TRAINING);
        paths.addAll(EVALUATION);
        return SettingsFingerprint.of(config, paths, OPERATIONAL, content);
    }

    /** Each key's content digest: "" when blank, "<missing>" when nothing is there (an optional file). */
    private static Map<String, String> contentOf(Config config, List<String> keys, Configuration hadoop) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : keys) {
            String location = config.hasPath(key) ? config.getString(key).strip() : "";
            try {
                out.put(key, HadoopFs.contentSha256(location, hadoop));
            } catch (FileNotFoundException e) {
                out.put(key, "<missing>");
            } catch (IOException e) {
                throw UserFacingException.because("cannot read " + key + " = " + location, e);
            }
        }
        return out;
    }
}
