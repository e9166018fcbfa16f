"""Mistakes dump_dags.py must catch (DeployScriptsTest): BROKEN=kwarg passes an argument the real
operator does not take; BROKEN=shape adds an EMR step without its HadoopJarStep."""
import os
from datetime import datetime

from airflow._core import DAG
from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator

with DAG(dag_id="broken", start_date=datetime(2026, 1, 1), schedule=None) as dag:
    if os.environ.get("BROKEN") == "kwarg":
        EmrAddStepsOperator(task_id="add", job_flow_id="j-1", steps=[], deploy_mode="cluster")
    else:
        EmrAddStepsOperator(task_id="add", job_flow_id="j-1", steps=[{"Name": "no jar step"}])
