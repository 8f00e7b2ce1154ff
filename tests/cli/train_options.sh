#!/usr/bin/env bash
# plif-train options that change where training starts or how it reads its
# data: --init_checkpoint starts from another run's weights; streamed frames
# (--stream_frames) train exactly as frames held in memory; a second
# plif-train on a run folder that one is writing is refused at once, the
# first unharmed. (The must-fail rows that were here are in must_fail.table.)
# Usage: train_options.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN
set -euo pipefail
synth=$1 convert=$2 train=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$synth" --users 6 --lightings 2 --events_per_gesture 1500 -q data >/dev/null
"$convert" data -o frames.h5 --T 4 -q >/dev/null
small=(-init_tau 2.0 -use_plif -channels 4 -number_layer 4 -max_epoch 1 --max_steps 2 -q)
"$train" --data frames.h5 "${small[@]}" -log_dir_prefix runs --name ok > /dev/null

failures=0
# --init_checkpoint: one step at a negligible rate keeps the given weights.
"$train" --data frames.h5 "${small[@]}" -learning_rate 1e-12 --max_steps 1 -log_dir_prefix runs \
  --name from_ok --init_checkpoint runs/ok/checkpoint.h5 > /dev/null
for key in conv.0.weight fc.5.weight conv.2.w; do
  h5diff -d 1e-6 runs/ok/checkpoint.h5 runs/from_ok/checkpoint.h5 "/model/$key" "/model/$key" > /dev/null || {
    echo "FAIL: --init_checkpoint did not start from /model/$key"; failures=$((failures + 1)); }
done
# Frames read from the file batch by batch train exactly as frames in memory.
"$train" --data frames.h5 "${small[@]}" -log_dir_prefix runs --name streamed --stream_frames > /dev/null
h5diff runs/ok/checkpoint.h5 runs/streamed/checkpoint.h5 /model /model > /dev/null || {
  echo "FAIL: --stream_frames trained differently"; failures=$((failures + 1)); }
# The run folder's lock: a second writer is refused while the first trains.
"$train" --data frames.h5 -init_tau 2.0 -use_plif -channels 4 -number_layer 4 -max_epoch 50 -q \
  -log_dir_prefix runs --name busy > /dev/null 2>&1 &
first=$!
for _ in $(seq 600); do [ -f runs/busy/metrics.csv ] && break; sleep 0.05; done
set +e
"$train" --data frames.h5 "${small[@]}" -log_dir_prefix runs --name busy > /dev/null 2> second.err
rc=$?
set -e
kill -INT "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
if [ "$rc" -ne 1 ] || ! grep -q "run folder 'runs/busy' is in use by another process" second.err ||
   [ "$(wc -l < second.err)" -ne 1 ]; then
  echo "FAIL: a second plif-train on a busy run folder: rc $rc, $(cat second.err)"; failures=$((failures + 1))
fi
[ -s runs/busy/checkpoint.h5 ] || { echo "FAIL: the first run lost its checkpoint"; failures=$((failures + 1)); }
[ "$failures" -eq 0 ] || exit 1
echo PASS
