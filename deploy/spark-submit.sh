#!/usr/bin/env bash
# Submits a stage of the job jar with a profile, on YARN (client or cluster mode), Kubernetes or a
# standalone master (client mode):
#   deploy/spark-submit.sh [--dry-run] PROFILE [-Dkey=value ...]
#   CAROT_CLASS=PrepareDataJob deploy/spark-submit.sh conf/emr.conf
# What travels where:
#   - the driver's settings (memory, ND4J caps): deploy/submit.properties, as --conf;
#   - the executors' settings (memory, ND4J caps, Kryo, GPUs): the profile's carot.spark.conf, which
#     the job applies before its SparkContext starts; GPUs are asked for only if the profile does;
#   - the profile itself: a client-mode driver reads it where it is; a cluster-mode driver gets it and
#     every file it includes through --files, in its working directory.
# Environment (defaults): SPARK_MASTER (yarn), DEPLOY_MODE (cluster), CAROT_CLASS (FineTuneJob),
# CAROT_JAR (spark-job/target/carot-spark-job-cuda.jar for a profile that asks for GPUs, else
# spark-job/target/carot-spark-job.jar),
# CAROT_SUBMIT_PROPERTIES (deploy/submit.properties), SPARK_SUBMIT (spark-submit).
# --dry-run prints the spark-submit command line, one word per line, instead of running it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/deploy-common.sh"

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
PROFILE="${1:?usage: deploy/spark-submit.sh [--dry-run] PROFILE [-Dkey=value ...]}"
shift
MASTER="${SPARK_MASTER:-yarn}"
MODE="${DEPLOY_MODE:-cluster}"
SUBMIT_PROPERTIES="${CAROT_SUBMIT_PROPERTIES:-$DEPLOY_DIR/submit.properties}"

listing="$(profile_files "$PROFILE")"  # an assignment, so that its failure stops the script
mapfile -t files <<<"$listing"
# A profile that asks for GPUs gets the CUDA jar unless told otherwise: the CPU jar would train on the
# GPU nodes' CPUs without a word.
if grep -q 'spark.executor.resource.gpu.amount' "${files[@]}"; then
  JAR="${CAROT_JAR:-$REPO_ROOT/spark-job/target/carot-spark-job-cuda.jar}"
else
  JAR="${CAROT_JAR:-$REPO_ROOT/spark-job/target/carot-spark-job.jar}"
fi
args=(--class "${CAROT_CLASS:-FineTuneJob}" --master "$MASTER" --deploy-mode "$MODE")
while IFS= read -r setting; do args+=(--conf "$setting"); done < <(properties "$SUBMIT_PROPERTIES")
case "$MODE" in
  client)
    # The driver runs here and reads the profile (and its includes) from this machine.
    args+=("$JAR" "$(cd "$(dirname "$PROFILE")" && pwd)/$(basename "$PROFILE")") ;;
  cluster)
    # Only YARN puts --files in the driver's working directory, where the bare name below is found.
    [[ "$MASTER" == yarn* ]] || die "cluster deploy mode ships the profile with --files, which only YARN puts in the driver's working directory; use DEPLOY_MODE=client with $MASTER"
    args+=(--files "$(IFS=,; echo "${files[*]}")" "$JAR" "$(basename "$PROFILE")") ;;
  *) die "DEPLOY_MODE must be client or cluster, not '$MODE'" ;;
esac
run_or_print "${SPARK_SUBMIT:-spark-submit}" "${args[@]}" "$@"
