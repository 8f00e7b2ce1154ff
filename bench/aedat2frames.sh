#!/usr/bin/env bash
# Data-stage throughput: generates (once) a ~100 M event synthetic DVS128
# Gesture folder, then prints the median of 5 runs of each stage next to a
# plain read of the same files. The numbers in docs/data-stage.md come from
#   bench/aedat2frames.sh
# Extra arguments go to the benchmark (e.g. --runs 9, --dir /data/DvsGesture).
set -euo pipefail
bin=${BENCH_BIN:-$(dirname "$0")/../build/bench/bench_aedat2frames}
dir=${BENCH_DIR:-/tmp/plifkit_bench_dvsgesture}
exec "$bin" --dir "$dir" --runs 5 "$@"
