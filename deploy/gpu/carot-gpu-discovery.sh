#!/usr/bin/env bash
# Spark's GPU discovery for CaRot executors (spark.executor.resource.gpu.discoveryScript): prints the
# GPUs this process may use as {"name": "gpu", "addresses": ["0", ...]}. YARN, when it isolates GPUs
# per container, makes only the granted ones visible to nvidia-smi; CUDA_VISIBLE_DEVICES, when set,
# narrows the list further. Installed on every node as /opt/carot/bin/carot-gpu-discovery.sh.
set -euo pipefail

if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1)"; then
  echo "carot-gpu-discovery: nvidia-smi failed: $indices" >&2
  exit 1
fi
# Indices in CUDA_VISIBLE_DEVICES narrow the list; GPU-UUID entries there are left to nvidia-smi's view.
if [[ "${CUDA_VISIBLE_DEVICES:-}" =~ ^[0-9]+(,[0-9]+)*$ ]]; then
  indices="$(tr ',' '\n' <<<"$CUDA_VISIBLE_DEVICES")"
fi
addresses="$(grep -E '^[[:space:]]*[0-9]+[[:space:]]*$' <<<"$indices" | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, - || true)"
if [[ -z "$addresses" ]]; then
  echo "carot-gpu-discovery: no GPU visible to this executor (nvidia-smi printed: ${indices:-nothing})" >&2
  exit 1
fi
echo "{\"name\": \"gpu\", \"addresses\": [${addresses//,/, }]}"
