package org.carotspark.bounds;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.CarotConfigLoader;
import org.carotspark.config.ConfigRedaction;
import org.carotspark.config.MainRunner;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code bin/carot bounds [--config FILE] [-Dkey=value ...]}: the §5.1 error-bound experiment. */
public final class BoundsJob {

    private static final Logger LOG = LoggerFactory.getLogger(BoundsJob.class);

    private BoundsJob() {
    }

    public static void main(String[] args) {
        MainRunner.run("BoundsJob", () -> {
            Config config = CarotConfigLoader.load(args);
            LOG.info("BoundsJob config:\n{}", ConfigRedaction.render(config.withOnlyPath("carot.bounds")
                    .withFallback(config.withOnlyPath("carot.spark"))));
            // Java serialization whatever the cluster default: the runs' specs and rows are records
            // (Kryo cannot write them) and a few hundred small rows gain nothing from Kryo.
            SparkSession spark = SparkSession.builder().config(SparkSessionFactory.sparkConf(config, "bounds")
                    .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer")).getOrCreate();
            try {
                BoundsExperiment.run(spark, config);
            } finally {
                spark.stop();
            }
        });
    }
}
