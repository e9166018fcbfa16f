"""CaRot on a transient Dataproc 2.2 GPU cluster: create it (as deploy/dataproc/create-cluster.sh does,
including its idle limit), prepare Parquet, then fine-tune and evaluate, as deploy/dataproc/submit.sh submits
them (cluster mode, Java 17), each task deferred while its job runs; delete the cluster whatever happened (a
teardown task; the cluster's idle_delete_ttl deletes it after an idle hour should Airflow not get to it).
Scheduling conventions and the schedule (Variable carot_schedule, default @weekly): see carot_deploy.py.

Airflow Variables, read when the tasks run: carot_gcp_project, carot_gcp_region,
carot_dataproc_cluster (the cluster name's prefix; each run's cluster is <prefix>-<logical date>),
carot_gcs_prefix (e.g. gs://my-bucket/carot, holding carot-spark-job-cuda.jar, conf/ with dataproc.conf and
the files it includes, and deploy/gpu/).
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
from airflow.providers.google.cloud.operators.dataproc import (
    DataprocCreateClusterOperator,
    DataprocDeleteClusterOperator,
    DataprocSubmitJobOperator,
)

PREFIX = "{{ var.value.carot_gcs_prefix }}"
PROJECT = "{{ var.value.carot_gcp_project }}"
REGION = "{{ var.value.carot_gcp_region }}"
CLUSTER = "{{ var.value.carot_dataproc_cluster }}-" + carot_deploy.RUN_DIR
PROFILE = carot_deploy.CONF_DIR / "dataproc.conf"
INIT_TIMEOUT = {"seconds": 1800}
# deploy/dataproc/create-cluster.sh's cluster in the Dataproc API's ClusterConfig.
CLUSTER_CONFIG = {
    "software_config": {"image_version": "2.2-debian12"},
    "master_config": {"num_instances": 1, "machine_type_uri": "n1-standard-8"},
    "worker_config": {
        "num_instances": 8,
        "machine_type_uri": "a2-highgpu-1g",
        "accelerators": [{"accelerator_type_uri": "nvidia-tesla-a100", "accelerator_count": 1}],
    },
    "initialization_actions": [
        {"executable_file": "gs://goog-dataproc-initialization-actions-" + REGION + "/gpu/install_gpu_driver.sh",
         "execution_timeout": INIT_TIMEOUT},
        {"executable_file": PREFIX + "/deploy/gpu/node-setup.sh", "execution_timeout": INIT_TIMEOUT},
    ],
    "gce_cluster_config": {
        "metadata": {"gpu-driver-provider": "NVIDIA", "install-gpu-agent": "false",
                     "carot-deploy-uri": PREFIX + "/deploy"},
    },
    "lifecycle_config": {"idle_delete_ttl": {"seconds": carot_deploy.CLUSTER_IDLE_SECONDS}},
}


def stage(task_id, main_class, timeout, *job_args):
    return DataprocSubmitJobOperator(
        task_id=task_id,
        deferrable=True,
        execution_timeout=timeout,
        project_id=PROJECT,
        region=REGION,
        job={
            "placement": {"cluster_name": CLUSTER},
            "spark_job": {
                "main_class": main_class,
                "jar_file_uris": [PREFIX + "/carot-spark-job-cuda.jar"],
                "file_uris": [PREFIX + "/conf/" + f.name for f in carot_deploy.profile_files(PROFILE)],
                "args": [PROFILE.name, *job_args],
                "properties": carot_deploy.spark_properties("submit.properties", "dataproc/job.properties"),
            },
        },
    )


with DAG(
    dag_id="carot_finetune_dataproc",
    start_date=datetime(2026, 1, 1),
    schedule=carot_deploy.schedule(),
    catchup=False,
    default_args=carot_deploy.DEFAULT_ARGS,
) as dag:
    create = DataprocCreateClusterOperator(
        task_id="create_cluster",
        project_id=PROJECT,
        region=REGION,
        cluster_name=CLUSTER,
        cluster_config=CLUSTER_CONFIG,
        deferrable=True,
        execution_timeout=carot_deploy.CLUSTER_TIMEOUT,
    )
    prepare = stage("prepare_parquet", "PrepareDataJob", carot_deploy.PREP_TIMEOUT)
    finetune = stage("finetune_and_evaluate", "FineTuneJob", carot_deploy.TRAIN_TIMEOUT,
                     *carot_deploy.run_overrides(PROFILE))
    delete = DataprocDeleteClusterOperator(
        task_id="delete_cluster",
        project_id=PROJECT,
        region=REGION,
        cluster_name=CLUSTER,
        deferrable=True,
        execution_timeout=carot_deploy.CLUSTER_TIMEOUT,
    ).as_teardown(setups=create)
    create >> prepare >> finetune >> delete
