package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.MainRunner;
import org.carotspark.report.ReportWriter;
import org.carotspark.report.ResultRow;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.train.Dl4jSparkSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** {@code spark-submit --class FineTuneJob job.jar [config] [-Dkey=value ...]}: train, evaluate, report. */
public final class FineTuneJob {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneJob.class);

    private FineTuneJob() {
    }

    public static void main(String[] args) {
        MainRunner.run("FineTuneJob", () -> {
            Config config = CarotConfigLoader.load(args);
            LOG.info("Resolved configuration (secrets redacted):\n{}", ConfigRedaction.render(config));
            List<ResultRow> rows;
            try (SparkSession spark = Dl4jSparkSettings.session(SparkSessionFactory.sparkConf(config, "fine-tune"))) {
                rows = new FineTuneRun(spark, config).run();
            }
            printTables(rows);
        });
    }

    /** The run's product on stdout: the accuracy and ECE tables (logs go to stderr). */
    static void printTables(List<ResultRow> rows) {
        System.out.println(ReportWriter.markdown(rows));
    }
}
