#!/usr/bin/env bash
# Submit FineTuneJob (or PrepareDataJob) to a YARN / Kubernetes / standalone cluster.
#   deploy/spark-submit.sh conf/emr.conf [-Dkey=value ...]
#   CAROT_CLASS=PrepareDataJob deploy/spark-submit.sh conf/emr.conf
# Build the jar first: mvn -B -DskipTests package (add -Pcuda for GPU executors).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONF="${1:?usage: deploy/spark-submit.sh CONF_FILE [-Dkey=value ...]}"
shift
OPENS="$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$ROOT/pom.xml")"

# One task per executor GPU/core group: the global batch is split across
# spark.executor.instances x spark.executor.cores workers (carot.train.workers).
exec spark-submit \
  --class "${CAROT_CLASS:-FineTuneJob}" \
  --master "${SPARK_MASTER:-yarn}" --deploy-mode "${DEPLOY_MODE:-cluster}" \
  --num-executors "${NUM_EXECUTORS:-8}" --executor-cores "${EXECUTOR_CORES:-1}" \
  --executor-memory "${EXECUTOR_MEMORY:-48g}" --driver-memory "${DRIVER_MEMORY:-16g}" \
  --conf spark.executor.resource.gpu.amount="${GPUS_PER_EXECUTOR:-1}" \
  --conf spark.task.resource.gpu.amount="${GPUS_PER_EXECUTOR:-1}" \
  --conf spark.executor.memoryOverhead="${EXECUTOR_OVERHEAD:-16g}" \
  --conf "spark.driver.extraJavaOptions=$OPENS" \
  --conf "spark.executor.extraJavaOptions=$OPENS -Dorg.bytedeco.javacpp.maxbytes=${ND4J_OFFHEAP:-24g} -Dorg.bytedeco.javacpp.maxphysicalbytes=${ND4J_PHYSICAL:-60g}" \
  --conf spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator \
  --conf spark.serializer=org.apache.spark.serializer.KryoSerializer \
  --files "$CONF" \
  "$ROOT/spark-job/target/carot-spark-job.jar" "$(basename "$CONF")" "$@"
