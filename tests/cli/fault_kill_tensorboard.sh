#!/usr/bin/env bash
# Fault injection for the TensorBoard log: plif-train killed with SIGKILL at
# seeded random points of a run, then started again (which resumes, more
# than once when a resume is killed too). After the last resume the run
# folder's event files hold exactly one value per (tag, step), the same
# tags, steps and values as an uninterrupted run's (but for the wall-clock
# plifkit/epoch_seconds), and the epoch scalars of its own metrics.csv;
# every event file read along the way has valid CRCs.
# Usage: fault_kill_tensorboard.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN TB_SCALARS SCRATCH [SEED] [KILLS]
set -euo pipefail
synth=$(realpath "$1") convert=$(realpath "$2") train=$(realpath "$3") scalars=$(realpath "$4")
work=$5 seed=${6:-23} kills=${7:-4}
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
source "$here/tensorboard_common.sh"
enter_scratch "$work"
start=$SECONDS

"$synth" --users 4 --lightings 2 --events_per_gesture 1500 --seed 7 -q data >/dev/null
"$convert" data -o frames.h5 --T 4 -q >/dev/null
common=(--data frames.h5 -init_tau 2.0 -use_plif -tau_per_neuron -tau_std_dev 0.1 -channels 4
        -number_layer 4 -batch_size 4 -learning_rate 0.01 -max_epoch 4 -seed 5 --threads 1
        -log_dir_prefix runs -q)

t0=$(now_ms)
"$train" "${common[@]}" --name ref >ref.out
duration=$(($(now_ms) - t0))
steps=$(sed -n 's/.*steps \([0-9]*\).*/\1/p' ref.out)
echo "uninterrupted run: $duration ms, $steps steps"
"$scalars" runs/ref >ref.csv
one_value_each ref.csv
tail -n +2 ref.csv | sort >ref_sorted.txt

RANDOM=$seed
for ((i = 0; i < kills; i++)); do
  run=k$i
  # Killed at a random point of the i-th of KILLS parts of 10-95 % of the run,
  # then once more, early in its resume.
  delay=$((duration * 10 / 100 + duration * 85 * i / (100 * kills) + RANDOM % (duration * 85 / (100 * kills) + 1)))
  for wait_ms in "$delay" $((300 + RANDOM % 1500)); do
    "$train" "${common[@]}" --name "$run" >/dev/null 2>&1 &
    pid=$!
    sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # What a killed run leaves is readable (a cut last record is skipped).
    logged=0
    if [ -d "runs/$run" ] && ls "runs/$run" | grep -q tfevents; then
      "$scalars" -q "runs/$run" >killed.csv || fail "kill $i: tb-scalars cannot read the killed run's log"
      logged=$(grep -c '^val_accuracy,' killed.csv || true)
    fi
  done
  epoch=none
  [ ! -e "runs/$run/checkpoint.h5" ] ||
    epoch=$(h5dump -a /state/epoch "runs/$run/checkpoint.h5" | sed -n 's/.*(0): \([0-9-]*\).*/\1/p')
  # The log may be an epoch ahead of the checkpoint (written before it).
  echo "kill $i at $delay ms: checkpoint epoch $epoch, epochs in the log $logged"
  "$train" "${common[@]}" --name "$run" >/dev/null
  "$scalars" "runs/$run" >"$run.csv"
  one_value_each "$run.csv"
  tail -n +2 "$run.csv" | sort >run_sorted.txt
  same_values ref_sorted.txt run_sorted.txt plifkit/epoch_seconds
  expected_scalars "runs/$run/metrics.csv" $((steps / 4)) yes yes >expected.txt
  grep -v '^train_\|^tag,' "$run.csv" | sort >actual.txt
  same_values expected.txt actual.txt
done

# The log ahead of the checkpoint, made on purpose (random kills rarely land
# between an epoch's log records and its checkpoint's rename): the run goes
# to epoch 3 and then gets back its checkpoint of epoch 1, as if the two
# later ones had never been written; the resume must take epochs 2 and 3
# out of the log and write them once more.
"$train" "${common[@]}" --name ahead -max_epoch 2 >/dev/null
cp runs/ahead/checkpoint.h5 epoch1.h5
h5dump -a /state/epoch epoch1.h5 | grep -q '(0): 1$' || fail "the short run did not stop after epoch 1"
"$train" "${common[@]}" --name ahead >/dev/null
cp epoch1.h5 runs/ahead/checkpoint.h5
"$scalars" runs/ahead >ahead_before.csv
[ "$(grep -c '^val_accuracy,' ahead_before.csv)" = 4 ] || fail "the log does not hold 4 epochs before the resume"
"$train" "${common[@]}" --name ahead >/dev/null
"$scalars" runs/ahead >ahead.csv
one_value_each ahead.csv
tail -n +2 ahead.csv | sort >run_sorted.txt
same_values ref_sorted.txt run_sorted.txt plifkit/epoch_seconds
echo "log 2 epochs ahead of the checkpoint: resumed to the uninterrupted run's scalars"
echo "fault_kill_tensorboard: ok ($kills kills, $((SECONDS - start)) s)"
