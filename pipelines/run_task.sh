#!/usr/bin/env bash
# One run of the grid (the line INDEX of grid.sh, 0-based), with the same
# stages as the Makefile's recipe: plif-train (resuming if interrupted), then
# plif-eval on the test split for the best-validation and the latest
# checkpoint.
#   pipelines/run_task.sh INDEX FRAMES OUT
# Environment: the grid axes (see grid.sh), EPOCHS (1256), DEVICE (cpu),
# CHANNELS (128), LAYERS (5), THREADS (0), TRAIN_EXTRA, BIN (build/tools).
set -euo pipefail
index=$1 frames=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
bin=${BIN:-$here/../build/tools}
line=$("$here/grid.sh" | sed -n "$((index + 1))p")
[ -n "$line" ] || { echo "run_task.sh: no grid line $index" >&2; exit 2; }
name=${line%%$'\t'*}
flags=${line#*$'\t'}
mkdir -p "$out/runs/$name" "$out/eval"
# shellcheck disable=SC2086  # flags are words
"$bin/plif-train" $flags -device "${DEVICE:-cpu}" -dataset_name DVS128Gesture \
  -log_dir_prefix "$out/runs" -max_epoch "${EPOCHS:-1256}" -channels "${CHANNELS:-128}" \
  -number_layer "${LAYERS:-5}" --data "$frames" --name "$name" --threads "${THREADS:-0}" \
  ${TRAIN_EXTRA:-} -q > "$out/runs/$name/summary.txt"
for which in best latest; do
  ckpt=$out/runs/$name/checkpoint.h5
  [ "$which" = best ] && ckpt=$out/runs/$name/checkpoint_max.h5
  "$bin/plif-eval" "$ckpt" "$frames" --split test -o "$out/eval/${name}_$which.h5" \
    --threads "${THREADS:-0}" -q > "$out/eval/${name}_$which.txt"
done
echo "$name done"
