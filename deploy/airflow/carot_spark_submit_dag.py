"""CaRot on a YARN cluster that Airflow reaches with spark-submit (the spark_default connection):
prepare Parquet (idempotent), then fine-tune and evaluate, both in cluster deploy mode.

A failed run is retried and resumes from its last checkpoint, in the run's own checkpoint directory (by
logical date). spark-submit waits for the application, so each task holds a worker slot while it runs: point
this DAG at a pool sized for it, or use the EMR or Dataproc DAG, which wait without one. Scheduling
conventions and the schedule (Variable carot_schedule, default @weekly): see carot_deploy.py.
Airflow Variable carot_jar: path or URI of the job jar (the -Pcuda jar for GPU profiles), read when
the task runs. PROFILE: the profile of your cluster, shipped with every file it includes.
"""
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import carot_deploy  # noqa: E402

try:
    from airflow.sdk import DAG  # Airflow 3
except ImportError:
    from airflow import DAG  # Airflow 2
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

PROFILE = carot_deploy.CONF_DIR / "emr.conf"


def stage(task_id, java_class, timeout, *job_args):
    return SparkSubmitOperator(
        task_id=task_id,
        execution_timeout=timeout,
        application="{{ var.value.carot_jar }}",
        java_class=java_class,
        deploy_mode="cluster",
        conf=carot_deploy.spark_properties("submit.properties"),
        files=",".join(str(f) for f in carot_deploy.profile_files(PROFILE)),
        application_args=[PROFILE.name, *job_args],
    )


with DAG(
    dag_id="carot_finetune_spark_submit",
    start_date=datetime(2026, 1, 1),
    schedule=carot_deploy.schedule(),
    catchup=False,
    default_args=carot_deploy.DEFAULT_ARGS,
) as dag:
    prepare = stage("prepare_parquet", "PrepareDataJob", carot_deploy.PREP_TIMEOUT)
    finetune = stage("finetune_and_evaluate", "FineTuneJob", carot_deploy.TRAIN_TIMEOUT,
                     *carot_deploy.run_overrides(PROFILE))
    prepare >> finetune
