#!/usr/bin/env bash
# Uploads the GPU job jar and conf/emr.conf with the files it includes, then adds the prep and the
# training step of steps.json to a running cluster:
#   deploy/emr/add-steps.sh [--dry-run] CLUSTER_ID S3_PREFIX        e.g. j-2AXXXXXXGAPLF s3://my-bucket/carot
# steps.json is in the EMR API's shape (boto3, Airflow's EmrAddStepsOperator) with s3://YOUR-BUCKET/carot
# as prefix; the AWS CLI takes steps in its own shape, which this converts them to.
# CAROT_JAR (default spark-job/target/carot-spark-job-cuda.jar) is uploaded as carot-spark-job-cuda.jar.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-common.sh"

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
CLUSTER="${1:?usage: deploy/emr/add-steps.sh [--dry-run] CLUSTER_ID S3_PREFIX}"
PREFIX="${2:?usage: deploy/emr/add-steps.sh [--dry-run] CLUSTER_ID S3_PREFIX}"
PREFIX="${PREFIX%/}"
[[ "$PREFIX" == s3://* ]] || die "S3_PREFIX must be an s3:// URI, not '$PREFIX'"
JAR="${CAROT_JAR:-$REPO_ROOT/spark-job/target/carot-spark-job-cuda.jar}"

upload() {
  if $DRY_RUN; then echo "aws s3 cp $1 $2"; else aws s3 cp --only-show-errors "$1" "$2"; fi
}
upload "$JAR" "$PREFIX/carot-spark-job-cuda.jar"
listing="$(profile_files "$REPO_ROOT/conf/emr.conf")"  # an assignment, so that its failure stops the script
while IFS= read -r f; do upload "$f" "$PREFIX/conf/$(basename "$f")"; done <<<"$listing"

steps="$(mktemp --suffix=.json)"
trap 'rm -f "$steps"' EXIT
python3 - "$DEPLOY_DIR/emr/steps.json" "$PREFIX" >"$steps" <<'PY'
import json, sys
steps, prefix = json.load(open(sys.argv[1])), sys.argv[2]
def at(s): return s.replace("s3://YOUR-BUCKET/carot", prefix)
json.dump([{"Type": "CUSTOM_JAR", "Name": s["Name"], "ActionOnFailure": s["ActionOnFailure"],
            "Jar": s["HadoopJarStep"]["Jar"], "Args": [at(a) for a in s["HadoopJarStep"]["Args"]]}
           for s in steps], sys.stdout, indent=1)
PY
if $DRY_RUN; then
  echo "aws emr add-steps --cluster-id $CLUSTER --steps file://$steps"
  cat "$steps"
else
  aws emr add-steps --cluster-id "$CLUSTER" --steps "file://$steps"
fi
