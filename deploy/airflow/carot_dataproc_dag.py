"""CaRot on a Dataproc 2.2 GPU cluster made by deploy/dataproc/create-cluster.sh: prepare Parquet, then
fine-tune and evaluate, as deploy/dataproc/submit.sh submits them (cluster mode, Java 17).

Airflow Variables, read when the tasks run: carot_gcp_project, carot_gcp_region,
carot_dataproc_cluster, carot_gcs_prefix (e.g. gs://my-bucket/carot, holding carot-spark-job-cuda.jar
and conf/ with dataproc.conf and the files it includes).
"""
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import carot_deploy  # noqa: E402

try:
    from airflow.sdk import DAG  # Airflow 3
except ImportError:
    from airflow import DAG  # Airflow 2
from airflow.providers.google.cloud.operators.dataproc import DataprocSubmitJobOperator

PREFIX = "{{ var.value.carot_gcs_prefix }}"
PROFILE = carot_deploy.CONF_DIR / "dataproc.conf"


def stage(task_id, main_class):
    return DataprocSubmitJobOperator(
        task_id=task_id,
        project_id="{{ var.value.carot_gcp_project }}",
        region="{{ var.value.carot_gcp_region }}",
        job={
            "placement": {"cluster_name": "{{ var.value.carot_dataproc_cluster }}"},
            "spark_job": {
                "main_class": main_class,
                "jar_file_uris": [PREFIX + "/carot-spark-job-cuda.jar"],
                "file_uris": [PREFIX + "/conf/" + f.name for f in carot_deploy.profile_files(PROFILE)],
                "args": [PROFILE.name],
                "properties": carot_deploy.spark_properties("submit.properties", "dataproc/job.properties"),
            },
        },
    )


with DAG(
    dag_id="carot_finetune_dataproc",
    start_date=datetime(2026, 1, 1),
    schedule="@weekly",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
) as dag:
    prepare = stage("prepare_parquet", "PrepareDataJob")
    finetune = stage("finetune_and_evaluate", "FineTuneJob")
    prepare >> finetune
