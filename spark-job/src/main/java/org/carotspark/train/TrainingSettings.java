package org.carotspark.train;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;

/** {@code carot.train.*}, validated once so a bad value fails before Spark starts. */
public record TrainingSettings(
        double lambdaOc,
        double lambdaSd,
        double learningRate,
        double weightDecay,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        long warmupSteps,
        int globalBatchSize,
        int epochs,
        long maxSteps,
        int workers,
        int averagingFrequency,
        long shuffleSeed,
        long captionSeed,
        int checkpointEveryEpochs) implements Serializable {

    public static TrainingSettings fromConfig(Config config, int defaultWorkers) {
        Config t = config.getConfig("carot.train");
        int workers = t.getInt("workers") > 0 ? t.getInt("workers") : defaultWorkers;
        TrainingSettings s = new TrainingSettings(
                t.getDouble("lambda-oc"), t.getDouble("lambda-sd"), t.getDouble("learning-rate"),
                t.getDouble("weight-decay"), t.getDouble("adam.beta1"), t.getDouble("adam.beta2"),
                t.getDouble("adam.epsilon"), t.getLong("warmup-steps"), t.getInt("global-batch-size"),
                t.getInt("epochs"), t.getLong("max-steps"), workers, t.getInt("averaging-frequency"),
                t.getLong("shuffle-seed"), t.getLong("caption-seed"), t.getInt("checkpoint-every-epochs"));
        s.validate();
        return s;
    }

    private void validate() {
        require(workers >= 1, "carot.train.workers must be >= 1 (got " + workers + ")");
        require(globalBatchSize >= 2, "carot.train.global-batch-size must be >= 2 (got " + globalBatchSize + ")");
        require(globalBatchSize % workers == 0, "carot.train.global-batch-size " + globalBatchSize
                + " does not divide evenly across " + workers + " workers");
        require(perWorkerBatch() >= 2, "each worker needs >= 2 pairs per minibatch for in-batch negatives (got "
                + perWorkerBatch() + ")");
        require(averagingFrequency >= 1, "carot.train.averaging-frequency must be >= 1");
        require(epochs >= 1, "carot.train.epochs must be >= 1");
        require(learningRate > 0, "carot.train.learning-rate must be > 0");
        require(lambdaOc >= 0 && lambdaSd >= 0, "carot.train.lambda-oc and lambda-sd must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserFacingException(message);
        }
    }

    public int perWorkerBatch() {
        return globalBatchSize / workers;
    }

    /** Total optimisation steps for a training set of {@code trainRows} rows (a step = one global batch). */
    public long totalSteps(long trainRows) {
        long perEpoch = stepsPerEpoch(trainRows);
        long all = perEpoch * epochs;
        return maxSteps > 0 ? Math.min(all, maxSteps) : all;
    }

    public long stepsPerEpoch(long trainRows) {
        long perEpoch = trainRows / globalBatchSize;
        if (perEpoch < 1) {
            throw new UserFacingException("the training split has " + trainRows
                    + " rows, fewer than one global batch of " + globalBatchSize);
        }
        return perEpoch;
    }
}
