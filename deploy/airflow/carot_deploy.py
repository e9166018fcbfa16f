"""What the CaRot DAGs share: the repository's deploy settings, read from its conf/ and deploy/ files.

Copy the repository's conf/ and deploy/ directories side by side into the DAGs folder (e.g.
dags/carot/conf and dags/carot/deploy): the DAG files read them while they are parsed. That reading is
local files only: Variables and connections are used through templates ("{{ var.value.x }}"), which
Airflow 2.x and 3.x both render when a task runs, never while parsing. The one exception is the schedule,
which Airflow needs while parsing: it is the Variable carot_schedule as an environment Variable
(AIRFLOW_VAR_CAROT_SCHEDULE), read without a metadata-database call; default "@weekly", "none" = run only
when triggered.

Scheduling conventions every CaRot DAG follows: retries with a retry_delay; an execution_timeout on every
task that can run long; waiting in reschedule mode or deferred (no worker slot held for a whole training);
a created cluster torn down as a teardown task and, should Airflow itself fail, ended by its own idle limit;
each run's fine-tuning writes its report and checkpoints under a directory of its own, named by the run's
logical date (a retry of the run resumes there), and report.json's run.prep_version names the data it read.
"""
import json
import os
import re
from datetime import timedelta
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent.parent
CONF_DIR = DEPLOY_DIR.parent / "conf"
# The prefix steps.json uses for the bucket the jar, conf/ and deploy/ are uploaded to.
STEPS_PREFIX = "s3://YOUR-BUCKET/carot"
# The run's own directory name: its logical date (retries of the run share it and resume there).
RUN_DIR = "{{ ds_nodash }}"
DEFAULT_SCHEDULE = "@weekly"
# Retries with their delay, always together.
DEFAULT_ARGS = {"retries": 2, "retry_delay": timedelta(minutes=10)}
# Upper bounds on a task: prep of full ImageNet and 10 epochs of ViT-B/16 on 8 GPUs fit well inside them.
PREP_TIMEOUT = timedelta(hours=12)
TRAIN_TIMEOUT = timedelta(hours=72)
CLUSTER_TIMEOUT = timedelta(hours=1)
# A created cluster ends itself after this long without work, even if its teardown task never runs.
CLUSTER_IDLE_SECONDS = 3600


def schedule():
    """The Variable carot_schedule from the environment (AIRFLOW_VAR_CAROT_SCHEDULE); "none" = unscheduled."""
    value = os.environ.get("AIRFLOW_VAR_CAROT_SCHEDULE", DEFAULT_SCHEDULE).strip()
    return None if value.lower() in ("", "none") else value

_INCLUDE = re.compile(r'^\s*include\s+(?:required\()?(?:file\()?"([^"]+)"')


def profile_files(profile):
    """The profile and, depth first, every file it includes (as deploy/lib/deploy-common.sh lists them)."""
    profile = Path(profile)
    files = [profile]
    for line in profile.read_text().splitlines():
        match = _INCLUDE.match(line)
        if match:
            if "/" in match.group(1):
                raise ValueError(f"{profile} includes {match.group(1)}: keep included files beside the profile")
            files += profile_files(profile.parent / match.group(1))
    return files


def profile_value(profile, key):
    """A quoted string setting of the profile files (e.g. output-dir = "/mnt/carot/run"): the last one wins."""
    pattern = re.compile(r'^\s*' + re.escape(key) + r'\s*=\s*"([^"]+)"')
    found = None
    for f in profile_files(profile):
        for line in Path(f).read_text().splitlines():
            match = pattern.match(line)
            if match:
                found = match.group(1)
    if found is None:
        raise ValueError(f"{profile} sets no {key}")
    return found


def run_overrides(profile):
    """-D options giving this run's fine-tuning its own report and checkpoint directories (by logical date)."""
    return [f"-Dcarot.output-dir={profile_value(profile, 'output-dir')}/{RUN_DIR}",
            f"-Dcarot.train.checkpoint-dir={profile_value(profile, 'checkpoint-dir')}/{RUN_DIR}"]


def spark_properties(*names):
    """key -> value of the Spark properties files under deploy/, later files winning."""
    props = {}
    for name in names:
        for line in (DEPLOY_DIR / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                props[key.strip()] = value.strip()
    return props


def emr_steps(prefix, finetune_args=()):
    """deploy/emr/steps.json with its bucket prefix replaced (prefix may be a template), and finetune_args
    appended to the FineTuneJob step's arguments."""
    steps = json.loads((DEPLOY_DIR / "emr" / "steps.json").read_text())
    for step in steps:
        hadoop = step["HadoopJarStep"]
        hadoop["Args"] = [arg.replace(STEPS_PREFIX, prefix) for arg in hadoop["Args"]]
        if "FineTuneJob" in hadoop["Args"]:
            hadoop["Args"] += list(finetune_args)
    return steps


def emr_configurations():
    """deploy/emr/configurations.json: YARN GPU scheduling and isolation."""
    return json.loads((DEPLOY_DIR / "emr" / "configurations.json").read_text())
