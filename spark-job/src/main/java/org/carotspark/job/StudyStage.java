package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.report.MeasurementsPage;
import org.carotspark.report.ReportData;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.stage.StageLauncher;
import org.carotspark.train.Dl4jStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stage {@code study} ({@code bin/carot study --seeds N}): the whole comparison of {@code carot.methods} run
 * {@code carot.study.seeds} times with the fine-tuning seeds (shuffle, caption, crop) moved by the run's index —
 * run 0 is exactly the configured run — from the same pretrained model and data, then each method's mean ± std
 * and a verdict line per paper claim ({@link StudySummary}) on stdout and in {@code study.md} under
 * {@code carot.study.output-dir}. With {@code carot.study.prepare-built-in-data} it first generates, prepares and
 * pretrains as the demo does.
 */
public final class StudyStage extends Dl4jStage {

    private static final Logger LOG = LoggerFactory.getLogger(StudyStage.class);
    static final String[] VARIED_SEEDS = {"carot.train.shuffle-seed", "carot.train.caption-seed",
            "carot.train.crop-seed"};

    public StudyStage() {
        super("study");
    }

    /** The configuration of run {@code index}: its seeds moved by the index, its own output directory. */
    static Config runConfig(Config config, int index) {
        String dir = config.getString("carot.study.output-dir") + "/seed-" + index;
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of("carot.output-dir", dir,
                "carot.train.checkpoint-dir", dir + "/checkpoints"));
        for (String key : VARIED_SEEDS) {
            overrides.put(key, config.getLong(key) + index);
        }
        return ConfigFactory.parseMap(overrides).withFallback(config).resolve();
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        int seeds = config.getInt("carot.study.seeds");
        if (seeds < 1) {
            throw new UserFacingException("carot.study.seeds (bin/carot study --seeds N) must be at least 1, got "
                    + seeds);
        }
        Optional<MeasurementsPage.Section> page = MeasurementsPage.section(config, "study");
        long start = System.nanoTime();
        if (config.getBoolean("carot.study.prepare-built-in-data")) {
            for (String stage : DemoStage.PREPARATION) {
                StageLauncher.named(stage).run(spark, config);
            }
        }
        List<ReportData> runs = new ArrayList<>();
        List<String> runTimes = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            LOG.info("study: run {}/{}", i + 1, seeds);
            long runStart = System.nanoTime();
            FineTuneRun run = new FineTuneRun(spark, runConfig(config, i));
            run.run();
            runs.add(run.report());
            runTimes.add(MeasurementsPage.duration((System.nanoTime() - runStart) / 1e9));
        }
        StudySummary summary = new StudySummary(runs);
        String text = summary.table() + "\n" + String.join("\n", summary.verdicts()) + "\n";
        HadoopFs.writeString(HadoopFs.qualify(config.getString("carot.study.output-dir") + "/study.md",
                spark.sparkContext().hadoopConfiguration()), text, spark.sparkContext().hadoopConfiguration());
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("study of {} seed(s) finished in {} s", seeds, Math.round(seconds));
        System.out.println(text);
        if (page.isPresent()) {
            page.get().write("## `bin/carot study --seeds " + seeds + "`\n\n"
                    + MeasurementsPage.provenance(Instant.now(), seconds) + "\n\nPer fine-tuning run (every method of"
                    + " one seed, evaluation included): " + String.join(", ", runTimes) + ".\n",
                    spark.sparkContext().hadoopConfiguration());
        }
    }
}
