#!/usr/bin/env bash
# Creates a Dataproc 2.2 cluster for CaRot: GPU workers with Google's GPU driver action (NVIDIA driver,
# YARN GPU scheduling and isolation), then deploy/gpu/node-setup.sh (CUDA 11.6 runtime, Java 17, the
# discovery script) on every node.
#   deploy/dataproc/create-cluster.sh [--dry-run] CLUSTER REGION GCS_PREFIX      e.g. carot europe-west4 gs://my-bucket/carot
# Uploads deploy/gpu/ to GCS_PREFIX/deploy/gpu/ first. Environment (defaults): IMAGE_VERSION (2.2-debian12),
# WORKER_MACHINE_TYPE (a2-highgpu-1g: one A100 40GB, 85 GB), WORKER_GPU (nvidia-tesla-a100), NUM_WORKERS
# (8 = carot.train.workers: 64 pairs per A100; a T4's 16 GB holds about 16, see docs/DEPLOY.md "Per-GPU batch").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-common.sh"

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
usage="usage: deploy/dataproc/create-cluster.sh [--dry-run] CLUSTER REGION GCS_PREFIX"
CLUSTER="${1:?$usage}"; REGION="${2:?$usage}"; PREFIX="${3:?$usage}"
PREFIX="${PREFIX%/}"
[[ "$PREFIX" == gs://* ]] || die "GCS_PREFIX must be a gs:// URI, not '$PREFIX'"

if $DRY_RUN; then
  echo "gcloud storage cp --recursive $DEPLOY_DIR/gpu $PREFIX/deploy/"
else
  gcloud storage cp --recursive "$DEPLOY_DIR/gpu" "$PREFIX/deploy/"
fi
run_or_print gcloud dataproc clusters create "$CLUSTER" \
  --region="$REGION" \
  --image-version="${IMAGE_VERSION:-2.2-debian12}" \
  --master-machine-type=n1-standard-8 \
  --worker-machine-type="${WORKER_MACHINE_TYPE:-a2-highgpu-1g}" \
  --num-workers="${NUM_WORKERS:-8}" \
  --worker-accelerator="type=${WORKER_GPU:-nvidia-tesla-a100},count=1" \
  --initialization-actions="gs://goog-dataproc-initialization-actions-$REGION/gpu/install_gpu_driver.sh,$PREFIX/deploy/gpu/node-setup.sh" \
  --initialization-action-timeout=30m \
  --max-idle="${MAX_IDLE:-1h}" \
  --metadata="gpu-driver-provider=NVIDIA,install-gpu-agent=false,carot-deploy-uri=$PREFIX/deploy"
