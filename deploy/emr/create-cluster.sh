#!/usr/bin/env bash
# Creates an EMR 7 cluster for CaRot: one m5.xlarge primary node, GPU core nodes with YARN GPU
# scheduling (configurations.json), and deploy/gpu/node-setup.sh as bootstrap action on every node.
#   deploy/emr/create-cluster.sh [--dry-run] S3_PREFIX        e.g. s3://my-bucket/carot
# Uploads deploy/gpu/ to S3_PREFIX/deploy/gpu/ first. Environment (defaults): EMR_RELEASE (emr-7.11.0),
# CORE_INSTANCE_TYPE (g5.4xlarge: one A10G, 64 GiB), CORE_INSTANCE_COUNT (16 = carot.train.workers: 32 pairs per A10G),
# EMR_EC2_ATTRIBUTES (InstanceProfile=EMR_EC2_DefaultRole; add KeyName=...,SubnetId=... as needed),
# EMR_SERVICE_ROLE (EMR_DefaultRole), IDLE_TIMEOUT_SECONDS (3600: the cluster terminates itself after an idle
# hour, so a failed run cannot leave GPUs billing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/deploy-common.sh"

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
PREFIX="${1:?usage: deploy/emr/create-cluster.sh [--dry-run] S3_PREFIX}"
PREFIX="${PREFIX%/}"
[[ "$PREFIX" == s3://* ]] || die "S3_PREFIX must be an s3:// URI, not '$PREFIX'"

if $DRY_RUN; then
  echo "aws s3 cp --recursive $DEPLOY_DIR/gpu $PREFIX/deploy/gpu"
else
  aws s3 cp --recursive --only-show-errors "$DEPLOY_DIR/gpu" "$PREFIX/deploy/gpu"
fi
run_or_print aws emr create-cluster \
  --name carot-gpu \
  --release-label "${EMR_RELEASE:-emr-7.11.0}" \
  --applications Name=Hadoop Name=Spark \
  --service-role "${EMR_SERVICE_ROLE:-EMR_DefaultRole}" \
  --ec2-attributes "${EMR_EC2_ATTRIBUTES:-InstanceProfile=EMR_EC2_DefaultRole}" \
  --instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge \
    "InstanceGroupType=CORE,InstanceCount=${CORE_INSTANCE_COUNT:-16},InstanceType=${CORE_INSTANCE_TYPE:-g5.4xlarge}" \
  --configurations "file://$DEPLOY_DIR/emr/configurations.json" \
  --bootstrap-actions "Name=carot-node-setup,Path=$PREFIX/deploy/gpu/node-setup.sh,Args=[$PREFIX/deploy]" \
  --auto-termination-policy "IdleTimeout=${IDLE_TIMEOUT_SECONDS:-3600}" \
  --log-uri "$PREFIX/emr-logs/"
