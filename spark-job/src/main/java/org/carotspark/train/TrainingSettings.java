package org.carotspark.train;

import com.typesafe.config.Config;
import org.apache.spark.SparkConf;
import org.carotspark.config.UserFacingException;

import java.io.Serializable;
import java.util.Locale;

/** {@code carot.train.*}, validated once so a bad value fails before Spark starts. */
public record TrainingSettings(
        double learningRate,
        double weightDecay,
        DecayScope decayScope,
        boolean clampLogitScale,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        long warmupSteps,
        int globalBatchSize,
        int epochs,
        long maxSteps,
        int workers,
        Mode mode,
        int averagingFrequency,
        long shuffleSeed,
        long captionSeed,
        int checkpointEveryEpochs,
        long checkpointEverySteps,
        int minPairsPerWorker,
        double gradientClipNorm,
        int collectiveMaxSegmentSteps,
        int collectiveTimeoutSeconds) implements Serializable {

    /** Which parameters AdamW decays. */
    public enum DecayScope {
        /** Every parameter, as the CaRot/FLYP reference's {@code AdamW(model.parameters())} does. */
        ALL,
        /** Weight matrices only (not gains, biases, embeddings, logit scale), as open_clip's trainer recommends. */
        MATRICES
    }

    /** How the workers' steps combine ({@code carot.train.mode}). */
    public enum Mode {
        /** Workers step on their own minibatches; the driver averages parameters and AdamW moments every k steps. */
        PARAMETER_AVERAGING("parameter-averaging"),
        /** One gradient of the whole global batch's loss per step, one AdamW step on the driver (the reference). */
        EXACT("exact"),
        /**
         * One gradient of the whole global batch's loss per step, all-reduced between the workers of a barrier stage;
         * every worker takes the same AdamW step (the reference's objective at DDP cost).
         */
        COLLECTIVE("collective");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new UserFacingException("carot.train.mode must be \"parameter-averaging\", \"exact\" or"
                    + " \"collective\", got \"" + name + "\"");
        }
    }

    public static TrainingSettings fromConfig(Config config, int defaultWorkers) {
        Config t = config.getConfig("carot.train");
        int workers = t.getInt("workers");
        require(workers >= 0, "carot.train.workers must be >= 0 (0 = Spark's default parallelism), got " + workers);
        TrainingSettings s = new TrainingSettings(
                t.getDouble("learning-rate"), t.getDouble("weight-decay"), decayScope(t.getString("weight-decay-params")),
                t.getBoolean("clamp-logit-scale"), t.getDouble("adam.beta1"), t.getDouble("adam.beta2"),
                t.getDouble("adam.epsilon"), t.getLong("warmup-steps"), t.getInt("global-batch-size"),
                t.getInt("epochs"), t.getLong("max-steps"), workers > 0 ? workers : defaultWorkers,
                Mode.parse(t.getString("mode")), t.getInt("averaging-frequency"), t.getLong("shuffle-seed"), t.getLong("caption-seed"),
                t.getInt("checkpoint-every-epochs"), t.getLong("checkpoint-every-steps"),
                t.getInt("min-pairs-per-worker"), t.getDouble("gradient-clip-norm"),
                t.getInt("collective.max-segment-steps"),
                Math.toIntExact(t.getDuration("collective.timeout", java.util.concurrent.TimeUnit.SECONDS)));
        s.validate();
        return s;
    }

    private static DecayScope decayScope(String name) {
        try {
            return DecayScope.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("carot.train.weight-decay-params must be \"all\" or \"matrices\", got \""
                    + name + "\"");
        }
    }

    private void validate() {
        require(globalBatchSize >= 2, "carot.train.global-batch-size must be >= 2 (got " + globalBatchSize + ")");
        require(globalBatchSize % workers == 0, "carot.train.global-batch-size " + globalBatchSize
                + " does not divide evenly across " + workers + " workers");
        require(minPairsPerWorker >= 2, "carot.train.min-pairs-per-worker must be >= 2, got " + minPairsPerWorker);
        require(mode != Mode.PARAMETER_AVERAGING || perWorkerBatch() >= minPairsPerWorker, "each of the " + workers + " workers would see "
                + perWorkerBatch() + " pairs per minibatch (global batch " + globalBatchSize + "), fewer than"
                + " carot.train.min-pairs-per-worker = " + minPairsPerWorker + ": its contrastive loss and teacher"
                + " targets would have only " + (perWorkerBatch() - 1) + " in-batch negatives; use fewer workers or a"
                + " larger batch");
        require(averagingFrequency >= 1, "carot.train.averaging-frequency must be >= 1");
        require(collectiveMaxSegmentSteps >= 1, "carot.train.collective.max-segment-steps must be >= 1, got "
                + collectiveMaxSegmentSteps);
        require(collectiveTimeoutSeconds >= 1, "carot.train.collective.timeout must be at least 1s, got "
                + collectiveTimeoutSeconds + "s");
        require(epochs >= 1, "carot.train.epochs must be >= 1");
        require(maxSteps >= 0, "carot.train.max-steps must be >= 0 (0 = no limit), got " + maxSteps);
        require(learningRate > 0, "carot.train.learning-rate must be > 0");
        require(warmupSteps >= 0, "carot.train.warmup-steps must be >= 0, got " + warmupSteps);
        require(weightDecay >= 0, "carot.train.weight-decay must be >= 0, got " + weightDecay);
        require(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1,
                "carot.train.adam.beta1 and beta2 must lie in [0, 1)");
        require(adamEpsilon > 0, "carot.train.adam.epsilon must be > 0");
        require(checkpointEveryEpochs >= 0, "carot.train.checkpoint-every-epochs must be >= 0");
        require(checkpointEverySteps >= 0, "carot.train.checkpoint-every-steps must be >= 0");
        require(gradientClipNorm >= 0, "carot.train.gradient-clip-norm must be >= 0 (0 = off), got " + gradientClipNorm);
    }

    /**
     * Refuses a Spark configuration this mode cannot run under: collective mode's barrier stages are refused by
     * Spark under dynamic allocation (only after the first segment's data were read).
     */
    public void requireRunnableOn(SparkConf spark) {
        require(mode != Mode.COLLECTIVE || !spark.getBoolean("spark.dynamicAllocation.enabled", false),
                "carot.train.mode = collective runs Spark barrier stages, which Spark refuses under dynamic allocation:"
                        + " set spark.dynamicAllocation.enabled=false (and the executor count to carot.train.workers),"
                        + " or use mode parameter-averaging or exact");
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

    /**
     * Whether a round that advanced the global step from {@code before} to {@code after} ends with a checkpoint:
     * it crossed a multiple of {@code checkpoint-every-steps}, ended epoch {@code epochsDone} (−1 if it ended
     * none) at a multiple of {@code checkpoint-every-epochs}, or ended the run (so a re-run skips training).
     */
    public boolean checkpointDue(long before, long after, int epochsDone, boolean last) {
        boolean bySteps = checkpointEverySteps > 0 && after / checkpointEverySteps > before / checkpointEverySteps;
        boolean byEpochs = checkpointEveryEpochs > 0 && epochsDone > 0 && epochsDone % checkpointEveryEpochs == 0;
        boolean any = checkpointEverySteps > 0 || checkpointEveryEpochs > 0;
        return bySteps || byEpochs || (any && last);
    }

    /** The learning rate of every parameter at each step of a run of {@code totalSteps} steps. */
    public WarmupCosineSchedule schedule(long totalSteps) {
        return new WarmupCosineSchedule(learningRate, warmupSteps, totalSteps);
    }
}
