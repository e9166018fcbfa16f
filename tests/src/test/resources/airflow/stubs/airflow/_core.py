"""Test stand-ins for the Airflow and provider classes the CaRot DAGs use: each operator accepts exactly
the keyword arguments of the real one (the names CaRot's DAGs may use, as the providers define them)
and records them, so dump_dags.py can print what a DAG would run. STUB_AIRFLOW_MAJOR (2 or 3) decides
which import paths exist, so both branches of the DAGs' version-dependent imports are exercised."""
import os

MAJOR = os.environ.get("STUB_AIRFLOW_MAJOR", "3")
DAGS = []
_CURRENT = []
BASE_OPERATOR_ARGS = {"task_id", "trigger_rule", "retries", "retry_delay", "owner", "pool", "queue",
                      "priority_weight", "execution_timeout", "depends_on_past", "do_xcom_push", "doc_md"}


def require_major(major, what):
    if MAJOR != major:
        raise ImportError(f"{what} does not exist in the Airflow {MAJOR} stand-in")


class DAG:
    def __init__(self, dag_id, *, start_date=None, schedule=None, catchup=None, default_args=None, **kwargs):
        if kwargs:
            raise TypeError(f"DAG got unexpected arguments {sorted(kwargs)}")
        self.dag_id, self.schedule, self.default_args, self.tasks = dag_id, schedule, default_args or {}, {}
        DAGS.append(self)

    def __enter__(self):
        _CURRENT.append(self)
        return self

    def __exit__(self, *exc):
        _CURRENT.pop()


class XComArg:
    def __init__(self, task_id):
        self.task_id = task_id


class BaseOperator:
    PARAMS = set()
    REQUIRED = set()

    def __init__(self, **kwargs):
        unknown = set(kwargs) - self.PARAMS - BASE_OPERATOR_ARGS
        if unknown:
            raise TypeError(f"{type(self).__name__} got unexpected arguments {sorted(unknown)}")
        missing = (self.REQUIRED | {"task_id"}) - set(kwargs)
        if missing:
            raise TypeError(f"{type(self).__name__} misses required arguments {sorted(missing)}")
        if not _CURRENT:
            raise RuntimeError(f"{kwargs['task_id']} created outside a DAG context")
        self.task_id, self.kwargs, self.downstream, self.teardown_of = kwargs["task_id"], kwargs, [], None
        _CURRENT[-1].tasks[self.task_id] = self

    def as_teardown(self, *, setups=None, on_failure_fail_dagrun=None):
        """Airflow 2.7+: a teardown task runs whatever its upstream did, once its setups succeeded."""
        if "trigger_rule" in self.kwargs:
            raise ValueError(f"{self.task_id}: a teardown task takes no trigger_rule of its own")
        self.teardown_of = [s.task_id for s in (setups if isinstance(setups, list) else [setups])] if setups else []
        return self

    @property
    def output(self):
        return XComArg(self.task_id)

    def __rshift__(self, other):
        for o in other if isinstance(other, list) else [other]:
            self.downstream.append(o.task_id)
        return other
