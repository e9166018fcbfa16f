package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.pretrain.PretrainStage;
import org.carotspark.report.MeasurementsPage;
import org.carotspark.stage.StageLauncher;
import org.carotspark.train.Dl4jStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stage {@code demo} ({@code bin/carot demo}): the whole pipeline on the built-in synthetic
 * mini-ImageNet in one JVM and one session — generate the raw layouts, prepare Parquet, pretrain
 * the built-in CLIP once (kept under build/ while its settings are unchanged), fine-tune it (the methods of
 * conf/local.conf), evaluate every split and print the tables.
 */
public final class DemoStage extends Dl4jStage {

    private static final Logger LOG = LoggerFactory.getLogger(DemoStage.class);
    /** The stages before fine-tuning: the built-in data and the pretrained model. */
    static final List<String> PREPARATION = List.of("generate", "prep", PretrainStage.NAME);
    static final List<String> STAGES = java.util.stream.Stream.concat(PREPARATION.stream(),
            java.util.stream.Stream.of(FineTuneStage.NAME)).toList();

    public DemoStage() {
        super("demo");
    }

    /** Runs the stages, then writes their wall times to the measurements page's section "demo". */
    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        Optional<MeasurementsPage.Section> page = MeasurementsPage.section(config, "demo");
        long start = System.nanoTime();
        List<String> stageTimes = new ArrayList<>();
        for (String stage : STAGES) {
            long stageStart = System.nanoTime();
            StageLauncher.named(stage).run(spark, config);
            stageTimes.add(stage + " " + MeasurementsPage.duration((System.nanoTime() - stageStart) / 1e9));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("demo finished in {}s", Math.round(seconds));
        if (page.isPresent()) {
            page.get().write("## `bin/carot demo`\n\n" + MeasurementsPage.provenance(Instant.now(), seconds)
                    + "\n\nPer stage: " + String.join(", ", stageTimes) + " (a stage that found its output kept, as"
                    + " pretraining and finished evaluations are, takes seconds).\n", spark.sparkContext()
                    .hadoopConfiguration());
        }
    }
}
