package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.eval.ModelEvaluation;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.train.CheckpointStore;
import org.carotspark.train.TrainingGraphFactory;
import org.carotspark.train.TrainingSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * What every method of one fine-tuning run shares (the model and its initial weights, the data, checkpoints,
 * evaluation) and where methods put their run-level entries.
 *
 * @param config         the job's configuration (a sweep entry's own is its {@link MethodRun#config()})
 * @param pretrained     the checkpoint the model came from, or null for a random initialisation
 * @param runInfo        report.json's run section
 * @param summary        the run summary's lines
 * @param methodSettings each trained contrastive method's loss settings, by report name
 */
record MethodContext(JavaSparkContext jsc, Config config, ClipModelConfig model, PretrainedModel pretrained,
                     CaptionTokenizer tokenizer, DatasetMetadata metadata, INDArray initialParams,
                     Dataset<Row> train, long trainRows, CheckpointStore checkpoints, ModelEvaluation evaluation,
                     Path outputDir, Map<String, Object> runInfo, StringBuilder summary,
                     Map<String, String> methodSettings) {

    /** {@code carot.train} of {@code config} (the job's or a sweep entry's) on this cluster. */
    TrainingSettings training(Config config) {
        return TrainingSettings.fromConfig(config, jsc.defaultParallelism());
    }

    /** CLIP with {@code loss} on top, from the run's initial weights, its schedule over {@code training}'s steps. */
    ComputationGraph clip(CarotLoss loss, TrainingSettings training) {
        return TrainingGraphFactory.build(model, loss, training, training.totalSteps(trainRows), initialParams);
    }
}
