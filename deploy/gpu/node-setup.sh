#!/usr/bin/env bash
# Prepares one cluster node for the CaRot job: run as an EMR bootstrap action or a Dataproc
# initialization action (after Google's GPU driver action) on every node.
#   node-setup.sh [--dry-run] [DEPLOY_URI]
# DEPLOY_URI is where the repository's deploy/ directory was uploaded (s3://..., gs://..., https://...
# or a local path); on Dataproc it may come from the cluster metadata key carot-deploy-uri instead.
#
#  0. GPU nodes: refuse (one line, exit 1, before installing anything) a GPU of compute capability 9.0 or newer
#     (H100, H200): the -Pcuda jar's kernels stop at 8.6 and carry no PTX, so the job could not run there.
#  1. Every node: /opt/carot/bin/carot-gpu-discovery.sh, the GPU discovery script that
#     conf/gpu-executors.conf names (YARN does not tell an executor which GPU it got).
#  2. GPU nodes: the CUDA 11.6 runtime the -Pcuda jar's natives link against, in /opt/carot/cuda-11.6/lib
#     and registered with ldconfig (EMR 7 and Dataproc 2.2 GPU images bring CUDA 12, whose libraries
#     have other sonames). The five libraries come from JavaCPP's cuda redist jar, fetched once per node
#     and checked against its SHA-1 (CAROT_CUDA_REDIST_URI points at a mirror, e.g. in your bucket).
#  3. EMR 7.x GPU nodes: the cgroup v1 devices mount that YARN's GPU isolation needs (the step AWS
#     documents for GPU scheduling on EMR 7).
#  2b. GPU nodes: JavaCPP's cache on node-local disk at /opt/carot/javacpp-cache (conf/gpu-executors.conf points
#     org.bytedeco.javacpp.cachedir there), so ND4J's ~1 GB of native libraries is unpacked once per node, not
#     into each YARN container's home.
#  4. Dataproc: a Java 17 linked at /opt/carot/jdk17 (Dataproc 2.2 runs Java 11), which
#     deploy/dataproc/job.properties gives the job's YARN containers as JAVA_HOME.
# --dry-run prints the commands that change the node instead of running them (the GPU check still runs); CAROT_NODE_PLATFORM
# (emr|dataproc|other) and CAROT_NODE_HAS_GPU (true|false) override the detection.
set -euo pipefail

CUDA_REDIST_URI="${CAROT_CUDA_REDIST_URI:-https://repo1.maven.org/maven2/org/bytedeco/cuda/11.6-8.3-1.5.7/cuda-11.6-8.3-1.5.7-linux-x86_64-redist.jar}"
CUDA_REDIST_SHA1=bee13e58da89a9c00054280f275aa8ee53571c86
CUDA_LIBS=(libcudart.so.11.0 libcublas.so.11 libcublasLt.so.11 libcusolver.so.11 libcusparse.so.11)
CAROT_HOME=/opt/carot
# The newest compute capability major version the CUDA backend (nd4j-cuda-11.6 1.0.0-M2.1) has kernels for.
NEWEST_CUDA_MAJOR=8

DRY_RUN=false
if [[ "${1:-}" == --dry-run ]]; then DRY_RUN=true; shift; fi
SUDO=""
[[ "$(id -u)" == 0 ]] || SUDO=sudo

# Runs a command that changes the node, or prints it under --dry-run.
change() {
  if $DRY_RUN; then echo "$*"; else $SUDO "$@"; fi
}

dataproc_metadata() {
  /usr/share/google/get_metadata_value "attributes/$1" 2>/dev/null || true
}

platform() {
  if [[ -n "${CAROT_NODE_PLATFORM:-}" ]]; then echo "$CAROT_NODE_PLATFORM"
  elif [[ -f /mnt/var/lib/info/instance.json ]]; then echo emr
  elif [[ -x /usr/share/google/get_metadata_value ]]; then echo dataproc
  else echo other
  fi
}

has_gpu() {
  if [[ -n "${CAROT_NODE_HAS_GPU:-}" ]]; then [[ "$CAROT_NODE_HAS_GPU" == true ]]
  else lspci 2>/dev/null | grep -qi nvidia || command -v nvidia-smi >/dev/null 2>&1
  fi
}

# fetch SOURCE DEST: from S3, GCS, HTTP(S) or a local path.
fetch() {
  case "$1" in
    s3://*) change aws s3 cp --only-show-errors "$1" "$2" ;;
    gs://*) change gsutil -q cp "$1" "$2" ;;
    http://*|https://*) change curl -fsSL --retry 5 -o "$2" "$1" ;;
    *) change cp "$1" "$2" ;;
  esac
}

# Refuses GPUs the CUDA backend cannot run, from nvidia-smi's "name, major.minor" lines; without nvidia-smi (no
# driver yet) there is nothing to check here, and the job checks again at start-up.
check_gpu_capability() {
  local gpus name cap
  if ! gpus="$(nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader 2>/dev/null)"; then
    echo "node-setup: nvidia-smi cannot list the GPUs yet; the job checks their compute capability at start-up" >&2
    return 0
  fi
  while IFS=, read -r name cap; do
    cap="${cap// /}"
    [[ "$cap" =~ ^[0-9]+\.[0-9]+$ ]] || continue
    if (( ${cap%%.*} > NEWEST_CUDA_MAJOR )); then
      echo "node-setup: the GPU ${name} has compute capability ${cap}, which the CUDA backend (nd4j-cuda-11.6" \
        "1.0.0-M2.1: kernels up to 8.6, no PTX) cannot run: use A100, A10G, L4 or L40S instances (EMR p4d, g5," \
        "g6, g6e; Dataproc a2, g2 or T4), see docs/DEPLOY.md" >&2
      exit 1
    fi
  done <<<"$gpus"
}

# A node-local JavaCPP cache shared by the node's containers (EMR: the /mnt data volume).
install_javacpp_cache() {
  local dir=/var/cache/carot/javacpp
  [[ "$(platform)" != emr ]] || dir=/mnt/carot/javacpp-cache
  change mkdir -p "$dir"
  change chmod 1777 "$dir"
  change ln -sfn "$dir" "$CAROT_HOME/javacpp-cache"
}

install_discovery_script() {
  local deploy_uri="$1"
  change mkdir -p "$CAROT_HOME/bin"
  fetch "$deploy_uri/gpu/carot-gpu-discovery.sh" "$CAROT_HOME/bin/carot-gpu-discovery.sh"
  change chmod 755 "$CAROT_HOME/bin/carot-gpu-discovery.sh"
}

install_cuda_runtime() {
  local lib="$CAROT_HOME/cuda-11.6/lib" jar=/tmp/carot-cuda-11.6-redist.jar
  change mkdir -p "$lib"
  fetch "$CUDA_REDIST_URI" "$jar"
  if $DRY_RUN; then
    echo "sha1sum -c: $CUDA_REDIST_SHA1  $jar"
  elif ! echo "$CUDA_REDIST_SHA1  $jar" | sha1sum -c --quiet -; then
    echo "node-setup: $CUDA_REDIST_URI does not have the expected SHA-1 $CUDA_REDIST_SHA1" >&2
    exit 1
  fi
  command -v unzip >/dev/null 2>&1 || change "$(command -v apt-get || echo dnf)" install -y -q unzip
  change unzip -o -q -j "$jar" "${CUDA_LIBS[@]/#/org/bytedeco/cuda/linux-x86_64/}" -d "$lib"
  change rm -f "$jar"
  if $DRY_RUN; then echo "write /etc/ld.so.conf.d/carot-cuda-11.6.conf: $lib"
  else echo "$lib" | $SUDO tee /etc/ld.so.conf.d/carot-cuda-11.6.conf >/dev/null
  fi
  change ldconfig
}

mount_gpu_cgroup_for_yarn() {
  change mkdir -p /spark-rapids-cgroup/devices
  if $DRY_RUN || ! mountpoint -q /spark-rapids-cgroup/devices; then
    change mount -t cgroup -o devices cgroupv1-devices /spark-rapids-cgroup/devices
  fi
  change chmod a+rwx -R /spark-rapids-cgroup
}

install_java17() {
  local jdk
  jdk="$(ls -d /usr/lib/jvm/*-17-* /usr/lib/jvm/java-17* 2>/dev/null | head -n 1 || true)"
  if [[ -z "$jdk" ]]; then
    if command -v apt-get >/dev/null 2>&1; then
      change apt-get install -y -q openjdk-17-jdk-headless
      jdk=/usr/lib/jvm/java-17-openjdk-amd64
    else
      change dnf install -y -q java-17-openjdk-headless
      jdk=/usr/lib/jvm/jre-17
    fi
  fi
  change ln -sfn "$jdk" "$CAROT_HOME/jdk17"
}

main() {
  local where deploy_uri
  where="$(platform)"
  deploy_uri="${1:-}"
  if [[ -z "$deploy_uri" && "$where" == dataproc ]]; then deploy_uri="$(dataproc_metadata carot-deploy-uri)"; fi
  [[ -n "$deploy_uri" ]] || { echo "node-setup: usage: node-setup.sh [--dry-run] DEPLOY_URI (or Dataproc metadata carot-deploy-uri)" >&2; exit 2; }
  deploy_uri="${deploy_uri%/}"

  if has_gpu; then check_gpu_capability; fi
  install_discovery_script "$deploy_uri"
  if has_gpu; then
    install_cuda_runtime
    install_javacpp_cache
    [[ "$where" != emr ]] || mount_gpu_cgroup_for_yarn
  fi
  [[ "$where" != dataproc ]] || install_java17
}

main "$@"
