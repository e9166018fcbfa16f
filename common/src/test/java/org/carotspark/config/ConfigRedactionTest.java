package org.carotspark.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfigRedactionTest {

    /** Spark copies the driver's sun.java.command into the event log: -D secrets are masked there first. */
    @Test
    void secretDefinesOnACommandLineAreMaskedAndNothingElse() {
        String command = "org.apache.spark.deploy.SparkSubmit --class FineTuneJob job.jar conf/emr.conf"
                + " -Dcarot.s3.secret-key=abc/DEF+123 -Dcarot.s3.access-key=AKIAXYZ"
                + " -Dcarot.spark.conf.\"spark.hadoop.fs.s3a.session.token\"=tok -Dcarot.train.epochs=2"
                + " -Dcarot.data.parquet-root=s3a://bucket/parquet";
        assertEquals("org.apache.spark.deploy.SparkSubmit --class FineTuneJob job.jar conf/emr.conf"
                + " -Dcarot.s3.secret-key=*** -Dcarot.s3.access-key=***"
                + " -Dcarot.spark.conf.\"spark.hadoop.fs.s3a.session.token\"=*** -Dcarot.train.epochs=2"
                + " -Dcarot.data.parquet-root=s3a://bucket/parquet", ConfigRedaction.redactCommandLine(command));
        assertEquals("no defines at all", ConfigRedaction.redactCommandLine("no defines at all"));
    }
}
