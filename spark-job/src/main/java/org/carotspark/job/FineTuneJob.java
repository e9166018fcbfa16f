package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.stage.PipelineStage;
import org.carotspark.stage.StageLauncher;
import org.carotspark.train.SparkJobs;

import java.util.List;

/**
 * {@code spark-submit --class FineTuneJob job.jar [config] [-Dkey=value ...]}: train, evaluate, report.
 * As the stage {@code train}, its product is the accuracy and ECE tables on stdout (logs go to stderr).
 */
public final class FineTuneJob implements PipelineStage {

    public static final String NAME = "train";

    public static void main(String[] args) {
        StageLauncher.main(NAME, args);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SparkSession startSession(Config config) {
        return SparkJobs.start(config, "fine-tune");
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        RunSummary.log(config);
        List<ResultRow> rows = new FineTuneRun(spark, config).run();
        System.out.println(ReportWriter.markdown(rows));
    }
}
