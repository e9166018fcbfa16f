package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.report.ReportWriter;
import org.carotspark.train.Dl4jStage;


/**
 * The stage {@code train} ({@code spark-submit --class FineTuneJob job.jar [config] [-Dkey=value ...]}):
 * train, evaluate, report. Its product is the accuracy and ECE tables on stdout (logs go to stderr).
 */
public final class FineTuneStage extends Dl4jStage {

    public static final String NAME = "train";

    public FineTuneStage() {
        super(NAME);
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        RunSummary.log(config);
        FineTuneRun run = new FineTuneRun(spark, config);
        run.run();
        System.out.println(ReportWriter.markdown(run.report()));
    }
}
