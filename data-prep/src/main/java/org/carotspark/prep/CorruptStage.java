package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;
import org.carotspark.stage.NamedStage;

/** {@link SplitCorruption} as the stage {@code corrupt} ({@code bin/carot corrupt}). */
public final class CorruptStage extends NamedStage {

    public CorruptStage() {
        super("corrupt");
    }

    @Override
    public void run(SparkSession spark, Config config) throws Exception {
        new SplitCorruption().run(spark, config);
    }
}
