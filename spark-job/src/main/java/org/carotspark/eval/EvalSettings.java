package org.carotspark.eval;

import com.typesafe.config.Config;
import org.carotspark.metrics.MetricSettings;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.Split;

import java.io.Serializable;
import java.util.List;

/** {@code carot.eval.*}; {@code referenceEceBatch} is the batch size of the reference's per-batch ECE. */
public record EvalSettings(List<Split> splits, int batchSize, int textBatchSize, MetricSettings metrics,
                           TemperatureSettings temperature, int spectrumValues, int spectrumMaxImages,
                           int referenceEceBatch)
        implements Serializable {

    public static EvalSettings fromConfig(Config config) {
        Config e = config.getConfig("carot.eval");
        int batch = e.getInt("batch-size");
        int textBatch = e.getInt("text-batch-size");
        if (batch < 1 || textBatch < 1) {
            throw new UserFacingException("carot.eval.batch-size and text-batch-size must be >= 1, got " + batch
                    + " and " + textBatch);
        }
        int spectrumValues = e.getInt("spectrum.values");
        int spectrumMaxImages = e.getInt("spectrum.max-images");
        if (spectrumValues < 0 || spectrumMaxImages < 2) {
            throw new UserFacingException("carot.eval.spectrum.values must be >= 0 and max-images >= 2, got "
                    + spectrumValues + " and " + spectrumMaxImages);
        }
        int referenceBatch = e.getInt("reference-ece-batch");
        if (referenceBatch < 1) {
            throw new UserFacingException("carot.eval.reference-ece-batch must be >= 1, got " + referenceBatch);
        }
        return new EvalSettings(e.getStringList("splits").stream().map(Split::fromConfigName).toList(), batch,
                textBatch, MetricSettings.fromConfig(config), TemperatureSettings.fromConfig(config), spectrumValues,
                spectrumMaxImages, referenceBatch);
    }
}
