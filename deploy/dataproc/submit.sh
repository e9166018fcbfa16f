#!/usr/bin/env bash
# Submits a stage of the GPU job jar to a Dataproc 2.2 cluster made by create-cluster.sh:
#   deploy/dataproc/submit.sh [--dry-run] CLUSTER REGION [FineTuneJob|PrepareDataJob] [-Dkey=value ...]
# Ships conf/dataproc.conf with every file it includes (--files: the cluster-mode driver's working
# directory) and passes deploy/submit.properties plus deploy/dataproc/job.properties (cluster mode,
# Java 17) as job properties. CAROT_JAR (default spark-job/target/carot-spark-job-cuda.jar) may be a
# local path, which gcloud uploads, or a gs:// URI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-common.sh"

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
usage="usage: deploy/dataproc/submit.sh [--dry-run] CLUSTER REGION [FineTuneJob|PrepareDataJob] [-Dkey=value ...]"
CLUSTER="${1:?$usage}"; REGION="${2:?$usage}"; shift 2
CLASS=FineTuneJob
if [[ $# -gt 0 && "$1" != -* ]]; then CLASS="$1"; shift; fi
JAR="${CAROT_JAR:-$REPO_ROOT/spark-job/target/carot-spark-job-cuda.jar}"

listing="$(profile_files "$REPO_ROOT/conf/dataproc.conf")"  # an assignment, so that its failure stops the script
mapfile -t files <<<"$listing"
mapfile -t settings < <(properties "$DEPLOY_DIR/submit.properties"; properties "$DEPLOY_DIR/dataproc/job.properties")
for s in "${settings[@]}"; do [[ "$s" != *'#'* ]] || die "a job property may not contain '#' (the list separator here): $s"; done
run_or_print gcloud dataproc jobs submit spark \
  --cluster="$CLUSTER" --region="$REGION" \
  --class="$CLASS" --jars="$JAR" \
  --files="$(IFS=,; echo "${files[*]}")" \
  --properties="^#^$(IFS='#'; echo "${settings[*]}")" \
  -- dataproc.conf "$@"
