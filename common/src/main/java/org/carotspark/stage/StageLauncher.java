package org.carotspark.stage;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.MainRunner;
import org.carotspark.config.UserFacingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The one {@code main} shell of every stage: parse the command line into the resolved config,
 * log it with secrets masked, start the stage's session, run, stop — inside {@link MainRunner}'s
 * exit-code contract.
 */
public final class StageLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(StageLauncher.class);

    private StageLauncher() {
    }

    /** {@code StageLauncher <stage> [--config FILE] [-Dkey=value ...]}: what {@code bin/carot <stage>} runs. */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: StageLauncher <stage> [--config FILE] [-Dkey=value ...]");
            System.exit(2);
        }
        main(args[0], Arrays.copyOfRange(args, 1, args.length));
    }

    /** {@code main} of the stage called {@code name}. */
    public static void main(String name, String[] args) {
        MainRunner.run(name, () -> launch(named(name), CarotConfigLoader.load(args)));
    }

    /** Runs {@code stage} on its own, in a session it starts and stops. */
    public static void launch(PipelineStage stage, Config config) throws Exception {
        LOG.info("Resolved configuration (secrets redacted):\n{}", ConfigRedaction.render(config));
        if (!stage.usesSpark()) {
            stage.run(null, config);
            return;
        }
        try (SparkSession spark = stage.startSession(config)) {
            stage.run(spark, config);
        }
    }

    /** The registered stage called {@code name}. */
    public static PipelineStage named(String name) {
        List<String> known = new ArrayList<>();
        // The context loader is the one that sees the user jar under spark-submit.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (PipelineStage s : ServiceLoader.load(PipelineStage.class,
                loader != null ? loader : PipelineStage.class.getClassLoader())) {
            if (s.name().equals(name)) {
                return s;
            }
            known.add(s.name());
        }
        throw new UserFacingException("no pipeline stage '" + name + "' on the classpath (found " + known
                + "); the job jar bundles every stage");
    }
}
