#!/usr/bin/env bash
# One run of the grid (the line INDEX of grid.sh, 0-based) through the
# Makefile's own recipe (its `task` target): plif-train (resuming if
# interrupted), then plif-eval on the test split for the best-validation and
# the latest checkpoint, every stage on DEVICE.
#   pipelines/run_task.sh INDEX FRAMES OUT
# Environment: the grid axes (see grid.sh), EPOCHS (1256), DEVICE (cpu),
# CHANNELS (128), LAYERS (the reference's for DATASET), DATASET, THREADS (0), TRAIN_EXTRA,
# BIN (build/tools).
set -euo pipefail
index=$1 frames=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
line=$("$here/grid.sh" | sed -n "$((index + 1))p")
[ -n "$line" ] || { echo "run_task.sh: no grid line $index" >&2; exit 2; }
name=${line%%$'\t'*}
flags=${line#*$'\t'}
# T empty: the frames file decides it.
make -s -f "$here/../Makefile.experiments" task OUT="$out" FRAMES="$frames" T= \
  TASK="$name" TASK_FLAGS="$flags"
echo "$name done"
