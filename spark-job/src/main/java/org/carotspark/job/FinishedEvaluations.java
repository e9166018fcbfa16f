package org.carotspark.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.report.FeatureSpectrum;
import org.carotspark.report.ResultRow;
import org.carotspark.sparkutil.HadoopFs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Each method's evaluation rows, feature spectra and loss setting, kept beside its checkpoints once it is trained and
 * evaluated, so a restarted job skips the methods it finished and still reports all of it (σ_min included). They
 * are used only for the same resolved settings (model, training, loss, data, evaluation) they were computed with.
 */
final class FinishedEvaluations {

    /** What a finished method reported; {@code setting} is null for methods without a loss setting. */
    record Finished(List<ResultRow> rows, List<FeatureSpectrum> spectra, String setting) {
        Finished {
            rows = List.copyOf(rows);
            spectra = spectra == null ? List.of() : List.copyOf(spectra);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FinishedEvaluations.class);
    static final String FILE = "evaluation.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;
    private final Configuration hadoop;
    private final String fingerprint;

    FinishedEvaluations(String checkpointDir, Configuration hadoop, String fingerprint) {
        this.root = checkpointDir == null || checkpointDir.isBlank() ? null : new Path(checkpointDir);
        this.hadoop = hadoop;
        this.fingerprint = fingerprint;
    }

    /** What a finished method reported, or null when it must run. */
    Finished load(String method) {
        if (root == null) {
            return null;
        }
        Path file = file(method);
        try {
            if (!HadoopFs.exists(file, hadoop)) {
                return null;
            }
            Map<String, Object> saved = JSON.readValue(HadoopFs.readString(file, hadoop), new TypeReference<>() { });
            if (!fingerprint.equals(saved.get("fingerprint"))) {
                return null;
            }
            List<ResultRow> rows = JSON.convertValue(saved.get("rows"), new TypeReference<List<ResultRow>>() { });
            List<FeatureSpectrum> spectra = saved.get("spectra") == null ? List.of()
                    : JSON.convertValue(saved.get("spectra"), new TypeReference<List<FeatureSpectrum>>() { });
            LOG.info("{}: trained and evaluated by an earlier run with these settings ({}): skipped", method, file);
            return new Finished(rows, spectra, (String) saved.get("setting"));
        } catch (IOException | RuntimeException e) {
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
            content.put("fingerprint", fingerprint);
            content.put("rows", finished.rows());
            content.put("spectra", finished.spectra());
            content.put("setting", finished.setting());
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
