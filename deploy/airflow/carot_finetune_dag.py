"""Scheduled CaRot fine-tuning: prepare Parquet (idempotent), then fine-tune and evaluate.

Both tasks call the same job jar with spark-submit; a failed run is retried and resumes from
its last epoch checkpoint (carot.train.checkpoint-dir). Configure the Airflow Variables
carot_jar (path/URI of carot-spark-job.jar) and carot_conf (the profile, e.g. conf/emr.conf).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

OPENS = " ".join(
    "--add-opens=java.base/%s=ALL-UNNAMED" % p
    for p in [
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
        "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
        "sun.nio.cs", "sun.security.action", "sun.util.calendar",
    ]
)
SPARK_CONF = {
    "spark.driver.extraJavaOptions": OPENS,
    "spark.executor.extraJavaOptions": OPENS,
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "org.nd4j.kryo.Nd4jRegistrator",
    "spark.executor.resource.gpu.amount": "1",
    "spark.task.resource.gpu.amount": "1",
}

with DAG(
    dag_id="carot_finetune",
    start_date=datetime(2026, 1, 1),
    schedule="@weekly",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
) as dag:
    conf_file = Variable.get("carot_conf", default_var="conf/emr.conf")
    jar = Variable.get("carot_jar")
    prepare = SparkSubmitOperator(
        task_id="prepare_parquet",
        application=jar,
        java_class="PrepareDataJob",
        application_args=[conf_file.split("/")[-1]],
        files=conf_file,
        conf=SPARK_CONF,
    )
    finetune = SparkSubmitOperator(
        task_id="finetune_and_evaluate",
        application=jar,
        java_class="FineTuneJob",
        application_args=[conf_file.split("/")[-1], "-Dcarot.output-dir=/tmp/carot/{{ ds }}"],
        files=conf_file,
        conf=SPARK_CONF,
    )
    prepare >> finetune
