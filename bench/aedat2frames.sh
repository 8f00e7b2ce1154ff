#!/usr/bin/env bash
# Data-stage throughput on two synthetic DVS128 Gesture folders, each
# generated once: "few windows" (30 recordings of 11 gestures of 300 k events,
# ~100 M events, 800 MB; the frames are half the input's size) and "many
# windows", shaped like the real dataset (48 recordings, 528 label rows of
# 150 k events, ~80 M events, 640 MB; the frames, before compression, are as
# large as the input). For each it prints the median of 5 runs of every stage
# next to a plain read of the same files, and whether the whole aedat2frames
# stays within 6x of that read. The numbers in docs/data-stage.md come from
#   bench/aedat2frames.sh
# Extra arguments go to both runs (e.g. --runs 9); BENCH_DIR and
# BENCH_DIR_MANY choose the folders (a real DvsGesture folder works too).
set -euo pipefail
bin=${BENCH_BIN:-$(dirname "$0")/../build/bench/bench_aedat2frames}
few=${BENCH_DIR:-/tmp/plifkit_bench_dvsgesture}
many=${BENCH_DIR_MANY:-/tmp/plifkit_bench_dvsgesture_many}
echo "== few windows: $few"
"$bin" --dir "$few" --runs 5 "$@"
echo
echo "== many windows (the real dataset's shape): $many"
"$bin" --dir "$many" --users 12 --lightings 4 --events_per_gesture 150000 --runs 5 "$@"
