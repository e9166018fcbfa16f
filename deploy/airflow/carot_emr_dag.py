"""CaRot on a transient EMR 7 GPU cluster: create it (as deploy/emr/create-cluster.sh does), add the
prep and training steps of deploy/emr/steps.json, wait for training, terminate the cluster whatever
happened (a teardown task; the cluster's auto-termination policy ends it after an idle hour should Airflow
not get to it). The run fails when a step fails (training_succeeded is then upstream_failed). Scheduling
conventions and the schedule (Variable carot_schedule, default @weekly): see carot_deploy.py.

Airflow Variable carot_s3_prefix (e.g. s3://my-bucket/carot), read when the tasks run: where the job jar
(carot-spark-job-cuda.jar), conf/ and deploy/gpu/ were uploaded (deploy/emr/add-steps.sh --dry-run lists
the uploads).
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
try:
    from airflow.providers.standard.operators.empty import EmptyOperator  # Airflow 3
except ImportError:
    from airflow.operators.empty import EmptyOperator  # Airflow 2
from airflow.providers.amazon.aws.operators.emr import (
    EmrAddStepsOperator,
    EmrCreateJobFlowOperator,
    EmrTerminateJobFlowOperator,
)
from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor

PREFIX = "{{ var.value.carot_s3_prefix }}"
JOB_FLOW = {
    "Name": "carot-gpu",
    "ReleaseLabel": "emr-7.11.0",
    "Applications": [{"Name": "Hadoop"}, {"Name": "Spark"}],
    "Instances": {
        "InstanceGroups": [
            {"Name": "primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
            {"Name": "gpu-core", "InstanceRole": "CORE", "InstanceType": "g5.4xlarge", "InstanceCount": 16},
        ],
        "KeepJobFlowAliveWhenNoSteps": True,
        "TerminationProtected": False,
    },
    "AutoTerminationPolicy": {"IdleTimeout": carot_deploy.CLUSTER_IDLE_SECONDS},
    "Configurations": carot_deploy.emr_configurations(),
    "BootstrapActions": [
        {
            "Name": "carot-node-setup",
            "ScriptBootstrapAction": {"Path": PREFIX + "/deploy/gpu/node-setup.sh", "Args": [PREFIX + "/deploy"]},
        }
    ],
    "JobFlowRole": "EMR_EC2_DefaultRole",
    "ServiceRole": "EMR_DefaultRole",
    "LogUri": PREFIX + "/emr-logs/",
}

with DAG(
    dag_id="carot_finetune_emr",
    start_date=datetime(2026, 1, 1),
    schedule=carot_deploy.schedule(),
    catchup=False,
    default_args=carot_deploy.DEFAULT_ARGS,
) as dag:
    create = EmrCreateJobFlowOperator(
        task_id="create_cluster", job_flow_overrides=JOB_FLOW, execution_timeout=carot_deploy.CLUSTER_TIMEOUT
    )
    add_steps = EmrAddStepsOperator(
        task_id="add_steps",
        job_flow_id=create.output,
        steps=carot_deploy.emr_steps(PREFIX, carot_deploy.run_overrides(carot_deploy.CONF_DIR / "emr.conf")),
    )
    # Steps run in order and a failed prep cancels training, so the last step's state is the run's. The
    # sensor gives its worker slot back between pokes.
    watch = EmrStepSensor(
        task_id="watch_training",
        job_flow_id=create.output,
        step_id="{{ task_instance.xcom_pull(task_ids='add_steps')[-1] }}",
        mode="reschedule",
        poke_interval=300,
        timeout=carot_deploy.PREP_TIMEOUT.total_seconds() + carot_deploy.TRAIN_TIMEOUT.total_seconds(),
        execution_timeout=carot_deploy.PREP_TIMEOUT + carot_deploy.TRAIN_TIMEOUT,
    )
    terminate = EmrTerminateJobFlowOperator(
        task_id="terminate_cluster", job_flow_id=create.output, execution_timeout=carot_deploy.CLUSTER_TIMEOUT
    ).as_teardown(setups=create)
    succeeded = EmptyOperator(task_id="training_succeeded")
    create >> add_steps >> watch >> [terminate, succeeded]
