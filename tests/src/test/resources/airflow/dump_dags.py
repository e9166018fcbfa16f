"""Imports each DAG file given against the stand-ins in stubs/ and prints, as JSON, every DAG's tasks
with their operator, arguments and downstream tasks. When botocore is importable, the EMR job flow
and steps are also checked against the EMR API's own request shapes (RunJobFlow, AddJobFlowSteps).
Usage: STUB_AIRFLOW_MAJOR=2|3 python3 dump_dags.py DAG_FILE..."""
import datetime
import importlib.util
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "stubs"))
from airflow import _core  # noqa: E402


def plain(value):
    if isinstance(value, _core.XComArg):
        return {"xcom_of": value.task_id}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (pathlib.Path, datetime.timedelta, datetime.datetime)):
        return str(value)
    return value


def emr_shape_errors(tasks):
    try:
        import botocore.session
        from botocore.validate import ParamValidator
    except ImportError:
        return None
    model = botocore.session.get_session().get_service_model("emr")
    errors = []

    def check(operation, params):
        report = ParamValidator().validate(params, model.operation_model(operation).input_shape)
        if report.has_errors():
            errors.append(f"{operation}: {report.generate_report()}")

    for task in tasks:
        if "job_flow_overrides" in task.kwargs:
            check("RunJobFlow", task.kwargs["job_flow_overrides"])
        if "steps" in task.kwargs:
            check("AddJobFlowSteps", {"JobFlowId": "j-CHECK", "Steps": task.kwargs["steps"]})
    return errors


out = {}
for i, path in enumerate(sys.argv[1:]):
    spec = importlib.util.spec_from_file_location(f"dag_file_{i}", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
for dag in _core.DAGS:
    out[dag.dag_id] = {
        "schedule": dag.schedule,
        "default_args": plain(dag.default_args),
        "emr_shape_errors": emr_shape_errors(dag.tasks.values()),
        "tasks": {t.task_id: {"operator": type(t).__name__, "kwargs": plain(t.kwargs), "downstream": t.downstream,
                              "teardown_of": t.teardown_of}
                  for t in dag.tasks.values()},
    }
json.dump(out, sys.stdout, indent=1)
