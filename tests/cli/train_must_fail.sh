#!/usr/bin/env bash
# plif-train's command-line contract: every bad invocation exits non-zero
# with one line naming the problem (and the file), and writes no run folder
# files; --init_checkpoint starts from another run's weights; streamed frames
# train exactly as frames held in memory.
# Usage: train_must_fail.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN
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
# expect EXIT_CODE 'message fragment' plif-train arguments...
expect() {
  local code=$1 fragment=$2
  shift 2
  set +e
  "$train" "$@" > out.txt 2> err.txt
  local got=$?
  set -e
  local lines
  lines=$(wc -l < err.txt)
  if [ "$got" -ne "$code" ] || ! grep -q -F -- "$fragment" err.txt || [ "$lines" -gt 2 ]; then
    echo "FAIL: plif-train $* -> exit $got (want $code), stderr:"; cat err.txt
    failures=$((failures + 1))
  fi
}
expect 2 "--data is required" "${small[@]}"
expect 2 "--init_tau is required" --data frames.h5 -max_epoch 1
expect 1 "'missing.h5'" --data missing.h5 "${small[@]}" -log_dir_prefix bad
expect 1 "is a plif-checkpoint file, expected plif-frames" --data runs/ok/checkpoint.h5 "${small[@]}" -log_dir_prefix bad
expect 2 "--T 7 contradicts 'frames.h5'" --data frames.h5 -T 7 "${small[@]}" -log_dir_prefix bad
expect 2 "--normalization max contradicts" --data frames.h5 -normalization max "${small[@]}" -log_dir_prefix bad
expect 2 "--split_by time contradicts" --data frames.h5 -split_by time "${small[@]}" -log_dir_prefix bad
expect 2 "init_tau must be > 1" --data frames.h5 -init_tau 1.0 -use_plif -max_epoch 1 -log_dir_prefix bad
expect 2 "reg_lambda needs tau_per_neuron" --data frames.h5 "${small[@]}" -reg_lambda 0.1 -log_dir_prefix bad
expect 1 "device 'cuda' is not available" --data frames.h5 "${small[@]}" -device cuda -log_dir_prefix bad
expect 2 "Option ‘no_such_flag’ does not exist" --data frames.h5 "${small[@]}" --no_such_flag
expect 1 "conv.0.weight" --data frames.h5 -init_tau 2.0 -use_plif -channels 6 -number_layer 4 \
  -max_epoch 1 -log_dir_prefix bad --init_checkpoint runs/ok/checkpoint.h5 -q
expect 1 "cannot create folder '/proc/plifkit'" --data frames.h5 "${small[@]}" -log_dir_prefix /proc/plifkit
# Numerical guard: a rate that throws w to infinity stops at once, naming the place.
expect 1 "is not finite after epoch 0, step 0" --data frames.h5 "${small[@]}" -learning_rate 1e30 \
  -log_dir_prefix bad --name diverged
if [ -d bad ] && [ -n "$(find bad -type f)" ]; then
  echo "FAIL: a failed run left files:"; find bad -type f; failures=$((failures + 1))
fi

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
[ "$failures" -eq 0 ] || exit 1
echo PASS
