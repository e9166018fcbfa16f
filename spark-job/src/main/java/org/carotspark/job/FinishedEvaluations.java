package org.carotspark.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.SettingsFingerprint;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DataVersion;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ResultRow;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.train.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Each method's evaluation rows, feature spectra and loss setting, kept beside its checkpoints once it is trained and
 * evaluated, so a restarted job skips the methods it finished and still reports all of it (σ_min included). They
 * are used only for the same resolved settings (model, training, loss, data, evaluation) they were computed with,
 * and only over the prep version they were evaluated on: rows of another version are refused (or, with
 * {@code carot.train.restart-on-prep-change}, the method runs again). The method's entries of report.json's run
 * section come back with them, so a rerun reports the run whole.
 */
final class FinishedEvaluations {

    /**
     * What a finished method reported; {@code setting} is null for methods without a loss setting; {@code run} is
     * the method's entries of report.json's run section (training steps, timings).
     */
    record Finished(List<ResultRow> rows, List<FeatureSpectrum> spectra, String setting, Map<String, Object> run) {
        Finished {
            rows = List.copyOf(rows);
            spectra = spectra == null ? List.of() : List.copyOf(spectra);
            run = run == null ? Map.of() : new java.util.LinkedHashMap<>(run);
        }

        Finished(List<ResultRow> rows, List<FeatureSpectrum> spectra, String setting) {
            this(rows, spectra, setting, null);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FinishedEvaluations.class);
    static final String FILE = "evaluation.json";
    /** The prep version the rows were evaluated on, as report.json's run.prep_version names it. */
    static final String PREP_VERSION = "prep_version";
    private static final String DATA_DIGEST = "data_digest";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;
    private final Configuration hadoop;
    private final SettingsFingerprint fingerprint;
    private final DataVersion data;
    private final boolean restartOnPrepChange;

    FinishedEvaluations(String checkpointDir, Configuration hadoop, String fingerprint) {
        this(checkpointDir, hadoop, SettingsFingerprint.opaque(fingerprint), DataVersion.UNVERSIONED, false);
    }

    /**
     * @param data                the prepared data evaluated on
     * @param restartOnPrepChange run a method again instead of refusing when its rows are of other data
     */
    FinishedEvaluations(String checkpointDir, Configuration hadoop, SettingsFingerprint fingerprint, DataVersion data,
                        boolean restartOnPrepChange) {
        this.root = checkpointDir == null || checkpointDir.isBlank() ? null : new Path(checkpointDir);
        this.hadoop = hadoop;
        this.fingerprint = fingerprint;
        this.data = data;
        this.restartOnPrepChange = restartOnPrepChange;
    }

    /** What a finished method reported, or null when it must run. */
    Finished load(String method) {
        if (root == null) {
            return null;
        }
        Path file = file(method);
        Map<String, Object> saved;
        try {
            if (!HadoopFs.exists(file, hadoop)) {
                return null;
            }
            saved = JSON.readValue(HadoopFs.readString(file, hadoop), new TypeReference<>() { });
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: ignoring unreadable {} ({}); evaluating again", method, file, e.getMessage());
            return null;
        }
        if (!fingerprint.digest().equals(saved.get("fingerprint"))) {
            Map<String, String> theirs = saved.get("settings") instanceof Map<?, ?> m
                    ? JSON.convertValue(m, new TypeReference<Map<String, String>>() { }) : Map.of();
            LOG.info("{}: the settings changed since its evaluation in {} ({}): evaluating again", method, file,
                    fingerprint.describeDifference(theirs));
            return null;
        }
        DataVersion evaluatedOn = new DataVersion(saved.get(PREP_VERSION) instanceof String v ? v : "",
                saved.get(DATA_DIGEST) instanceof String d ? d : "");
        if (!evaluatedOn.sameDataAs(data)) {
            String what = method + ": its rows in " + file + " were evaluated on " + evaluatedOn.describe()
                    + " but the data is now " + data.describe() + ", with other content";
            if (!restartOnPrepChange) {
                throw new UserFacingException(what + ": reporting them would mix two versions of the data; point"
                        + " carot.data.parquet-root at the data they came from, or set "
                        + CheckpointStore.RESTART_ON_PREP_CHANGE + " = true to run it again");
            }
            LOG.warn("{}: running it again ({} = true)", what, CheckpointStore.RESTART_ON_PREP_CHANGE);
            return null;
        }
        try {
            List<ResultRow> rows = JSON.convertValue(saved.get("rows"), new TypeReference<List<ResultRow>>() { });
            List<FeatureSpectrum> spectra = saved.get("spectra") == null ? List.of()
                    : JSON.convertValue(saved.get("spectra"), new TypeReference<List<FeatureSpectrum>>() { });
            LOG.info("{}: trained and evaluated by an earlier run with these settings ({}): skipped", method, file);
            Map<String, Object> run = saved.get("run") == null ? Map.of()
                    : JSON.convertValue(saved.get("run"), new TypeReference<Map<String, Object>>() { });
            return new Finished(rows, spectra, (String) saved.get("setting"), run);
        } catch (RuntimeException e) {
            LOG.warn("{}: ignoring unreadable {} ({}); evaluating again", method, file, e.getMessage());
            return null;
        }
    }

    void save(String method, Finished finished) {
        if (root == null) {
            return;
        }
        Path file = file(method);
        Path tmp = new Path(file.getParent(), FILE + ".tmp");
        try {
            Map<String, Object> content = new java.util.LinkedHashMap<>();
            content.put("fingerprint", fingerprint.digest());
            content.put(PREP_VERSION, data.prepVersion());
            content.put(DATA_DIGEST, data.digest());
            content.put("settings", fingerprint.settings());
            content.put("rows", finished.rows());
            content.put("spectra", finished.spectra());
            content.put("setting", finished.setting());
            content.put("run", finished.run());
            HadoopFs.writeString(tmp, JSON.writeValueAsString(content), hadoop);
            tmp.getFileSystem(hadoop).delete(file, false);
            if (!tmp.getFileSystem(hadoop).rename(tmp, file)) {
                throw new IOException("cannot rename " + tmp + " to " + file);
            }
        } catch (IOException | FSError e) {
            throw UserFacingException.because("cannot write " + file, e);
        }
    }

    private Path file(String method) {
        return new Path(new Path(root, method), FILE);
    }
}
