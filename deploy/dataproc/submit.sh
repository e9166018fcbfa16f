#!/usr/bin/env bash
# Submit to a Dataproc 2.2 GPU cluster: deploy/dataproc/submit.sh CLUSTER REGION [FineTuneJob|PrepareDataJob]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${1:?cluster}"; REGION="${2:?region}"; CLASS="${3:-FineTuneJob}"
OPENS="$(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$ROOT/pom.xml")"
exec gcloud dataproc jobs submit spark --cluster="$CLUSTER" --region="$REGION" \
  --class="$CLASS" --jars="$ROOT/spark-job/target/carot-spark-job.jar" \
  --files="$ROOT/conf/dataproc.conf,$ROOT/conf/imagenet-paths.conf" \
  --properties="^#^spark.driver.extraJavaOptions=$OPENS#spark.executor.extraJavaOptions=$OPENS#spark.serializer=org.apache.spark.serializer.KryoSerializer#spark.kryo.registrator=org.nd4j.kryo.Nd4jRegistrator#spark.executor.resource.gpu.amount=1#spark.task.resource.gpu.amount=1" \
  -- dataproc.conf
