"""What the CaRot DAGs share: the repository's deploy settings, read from its conf/ and deploy/ files.

Copy the repository's conf/ and deploy/ directories side by side into the DAGs folder (e.g.
dags/carot/conf and dags/carot/deploy): the DAG files read them while they are parsed. That reading is
local files only: Variables and connections are used through templates ("{{ var.value.x }}"), which
Airflow 2.x and 3.x both render when a task runs, never while parsing.
"""
import json
import re
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent.parent
CONF_DIR = DEPLOY_DIR.parent / "conf"
# The prefix steps.json uses for the bucket the jar, conf/ and deploy/ are uploaded to.
STEPS_PREFIX = "s3://YOUR-BUCKET/carot"

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


def emr_steps(prefix):
    """deploy/emr/steps.json with its bucket prefix replaced (prefix may be a template)."""
    steps = json.loads((DEPLOY_DIR / "emr" / "steps.json").read_text())
    for step in steps:
        hadoop = step["HadoopJarStep"]
        hadoop["Args"] = [arg.replace(STEPS_PREFIX, prefix) for arg in hadoop["Args"]]
    return steps


def emr_configurations():
    """deploy/emr/configurations.json: YARN GPU scheduling and isolation."""
    return json.loads((DEPLOY_DIR / "emr" / "configurations.json").read_text())
