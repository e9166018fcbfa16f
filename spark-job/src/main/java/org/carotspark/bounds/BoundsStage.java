package org.carotspark.bounds;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.sparkutil.SparkSessionFactory;
import org.carotspark.stage.NamedStage;

/** The stage {@code bounds} ({@code bin/carot bounds [--config FILE] [-Dkey=value ...]}): the §5.1 experiment. */
public final class BoundsStage extends NamedStage {

    public BoundsStage() {
        super("bounds");
    }

    /**
     * Java serialization whatever the cluster default: the runs' specs and rows are records (Kryo
     * cannot write them) and a few hundred small rows gain nothing from Kryo.
     */
    @Override
    public SparkSession startSession(Config config) {
        return SparkSession.builder().config(SparkSessionFactory.sparkConf(config, name())
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer")).getOrCreate();
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        BoundsExperiment.run(spark, config);
    }
}
