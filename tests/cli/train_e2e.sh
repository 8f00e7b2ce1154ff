#!/usr/bin/env bash
# End-to-end: dvs-synth -> aedat2frames -> plif-train on a small network.
# Checks that training learns (test accuracy well above the 1/11 chance),
# that two runs with one seed give identical checkpoints, and that a run
# killed (SIGKILL) after its first epoch and started again ends with the
# same checkpoint as the uninterrupted run, and so does a run stopped by
# SIGINT inside an epoch and resumed.
# Usage: train_e2e.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN
set -euo pipefail
synth=$1 convert=$2 train=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$synth" --users 8 --lightings 2 --events_per_gesture 2500 --seed 7 -q data >/dev/null
"$convert" data -o frames.h5 --T 6 --split_by number --normalization None -q >/dev/null

common=(--data frames.h5 -init_tau 2.0 -use_max_pool -detach_reset -use_plif -tau_per_neuron
        -tau_std_dev 0.1 -reg_lambda 0.01 -channels 8 -number_layer 4 -T_max 3
        -learning_rate 0.01 -log_dir_prefix runs -seed 5 --threads 2 -q)

"$train" "${common[@]}" -max_epoch 3 --name a > a.out
"$train" "${common[@]}" -max_epoch 3 --name b > b.out

accuracy=$(sed -n 's/.*max test accuracy \([0-9.]*\).*/\1/p' a.out)
echo "max test accuracy: $accuracy"
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.35) }' || { echo "FAIL: accuracy $accuracy not above chance"; exit 1; }

same_checkpoint() {  # everything but the wall-clock column
  for obj in /config /model /optimizer /scheduler /state /log/train_loss /log/test_accuracy \
             /log/val_accuracy /log/tau_mean_0 /log/w_std_5; do
    h5diff -q "$1" "$2" "$obj" "$obj" || { echo "FAIL: $1 and $2 differ in $obj"; return 1; }
  done
}
same_checkpoint runs/a/checkpoint.h5 runs/b/checkpoint.h5
same_checkpoint runs/a/checkpoint_max.h5 runs/b/checkpoint_max.h5
cmp runs/a/metrics.csv runs/b/metrics.csv >/dev/null || \
  diff <(cut -d, -f1-6,8- runs/a/metrics.csv) <(cut -d, -f1-6,8- runs/b/metrics.csv)

# Kill after the first epoch's checkpoint is on disk, then resume.
"$train" "${common[@]}" -max_epoch 3 --name c > /dev/null &
pid=$!
for _ in $(seq 600); do
  [ -f runs/c/checkpoint.h5 ] && break
  sleep 0.1
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
epochs_done=$(h5dump -a /state/epoch runs/c/checkpoint.h5 | sed -n 's/.*(0): \([0-9-]*\).*/\1/p')
echo "killed after epoch $epochs_done"
[ "$epochs_done" -lt 2 ] || { echo "FAIL: the run finished before it was killed"; exit 1; }
"$train" "${common[@]}" -max_epoch 3 --name c > c.out
same_checkpoint runs/a/checkpoint.h5 runs/c/checkpoint.h5

# SIGINT during epoch 1: the current step finishes, a checkpoint of the
# unfinished epoch is written, exit 130 with one line; the same command
# resumes inside the epoch and ends with the uninterrupted run's checkpoint.
"$train" "${common[@]}" -max_epoch 3 --name d > /dev/null 2> d.err &
pid=$!
for _ in $(seq 600); do
  [ -f runs/d/checkpoint.h5 ] && break
  sleep 0.1
done
sleep 0.2
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 130 ] || { echo "FAIL: SIGINT gave exit $rc, expected 130; stderr: $(cat d.err)"; exit 1; }
[ "$(wc -l < d.err)" = 1 ] && grep -q "interrupted at epoch .*, step .*the same command resumes" d.err ||
  { echo "FAIL: SIGINT message: $(cat d.err)"; exit 1; }
step=$(h5dump -a /state/step_in_epoch runs/d/checkpoint.h5 | sed -n 's/.*(0): \([0-9-]*\).*/\1/p')
echo "$(cat d.err) (step_in_epoch $step)"
[ "$step" -gt 0 ] || { echo "FAIL: the checkpoint is not inside an epoch"; exit 1; }
"$train" "${common[@]}" -max_epoch 3 --name d > d.out
same_checkpoint runs/a/checkpoint.h5 runs/d/checkpoint.h5
echo "PASS"
