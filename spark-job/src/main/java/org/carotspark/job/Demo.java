package org.carotspark.job;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.MainRunner;
import org.carotspark.prep.PrepareDataJob;
import org.carotspark.report.ResultRow;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.train.Dl4jSparkSettings;
import org.carotspark.synth.GenerateJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code bin/carot demo}: the whole pipeline on the built-in synthetic mini-ImageNet in one JVM —
 * generate the raw layouts, prepare Parquet, fine-tune (zeroshot, flyp, carot by conf/local.conf),
 * evaluate every split and print the tables.
 */
public final class Demo {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private Demo() {
    }

    public static void main(String[] args) {
        MainRunner.run("demo", () -> {
            long start = System.nanoTime();
            Config config = CarotConfigLoader.load(args);
            LOG.info("Resolved configuration (secrets redacted):\n{}", ConfigRedaction.render(config));
            GenerateJob.run(config);
            List<ResultRow> rows;
            try (SparkSession spark = Dl4jSparkSettings.session(SparkSessionFactory.sparkConf(config, "demo"))) {
                new PrepareDataJob().run(spark, config);
                rows = new FineTuneRun(spark, config).run();
            }
            FineTuneJob.printTables(rows);
            LOG.info("demo finished in {}s", Math.round((System.nanoTime() - start) / 1e9));
        });
    }
}
