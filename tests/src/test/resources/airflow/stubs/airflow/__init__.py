import importlib


def __getattr__(name):
    # Airflow 2 exports DAG here; the Airflow 3 stand-in makes the DAGs take their airflow.sdk branch.
    if name == "DAG":
        core = importlib.import_module("airflow._core")
        if core.MAJOR == "2":
            return core.DAG
    raise AttributeError(name)
