#!/usr/bin/env bash
# TensorBoard logs of plif-train and plif-eval, read back with tb-scalars:
# a per-neuron run of more than 256 optimizer steps, stopped by SIGINT inside
# an epoch and resumed, holds exactly the
# reference's tags and steps (train_* at steps 0 and 256, w<i> at the end of
# every epoch) with the values of its metrics.csv, one value per tag and
# step, and the tau histograms; --tensorboard off writes none; plif-eval
# --tensorboard adds its accuracies once; damage is reported with the file
# and byte offset, a cut last record is skipped with a note.
# Usage: tensorboard_e2e.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN PLIF_EVAL TB_SCALARS SCRATCH
set -euo pipefail
synth=$(realpath "$1") convert=$(realpath "$2") train=$(realpath "$3") eval=$(realpath "$4")
scalars=$(realpath "$5") work=$6
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
source "$here/tensorboard_common.sh"
enter_scratch "$work"
start=$SECONDS

"$synth" --users 4 --lightings 2 --events_per_gesture 1500 --seed 7 -q data >/dev/null
"$convert" data -o frames.h5 --T 4 -q >/dev/null
common=(--data frames.h5 -init_tau 2.0 -use_plif -channels 4 -number_layer 4 -batch_size 1
        -learning_rate 0.01 -seed 5 --threads 2 -log_dir_prefix runs -q)

# Stopped by SIGINT early in epoch 3 (before step 256) and resumed inside
# it: the steps after the stop are numbered on from the checkpoint's.
pn=(-tau_per_neuron -tau_std_dev 0.1 -max_epoch 4 --name pn)
"$train" "${common[@]}" "${pn[@]}" >/dev/null 2>pn.err &
pid=$!
for _ in $(seq 1200); do
  [ -e runs/pn/checkpoint.h5 ] && h5dump -a /state/epoch runs/pn/checkpoint.h5 2>/dev/null | grep -q '(0): 2$' && break
  sleep 0.1
done
kill -INT "$pid" 2>/dev/null || true
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || [ "$rc" = 0 ] || fail "SIGINT: exit $rc: $(cat pn.err)"
echo "stopped: $(cat pn.err)"
"$train" "${common[@]}" "${pn[@]}" >pn.out
steps=$(sed -n 's/.*steps \([0-9]*\).*/\1/p' pn.out)
spe=$((steps / 4))
[ "$steps" -gt 256 ] || fail "the run has $steps steps, fewer than the 257 the test needs"
"$scalars" runs/pn >pn.csv
one_value_each pn.csv
# One event file per call that logged something.
[ "$(ls runs/pn | grep -c '^events\.out\.tfevents\.')" = $((rc == 130 ? 2 : 1)) ] ||
  fail "not one event file per call: $(ls runs/pn)"

# The per-step tags: the reference's cadence, steps counted before the step.
[ "$(grep '^train_accuracy,' pn.csv | cut -d, -f2 | tr '\n' ' ')" = "0 256 " ] ||
  fail "train_accuracy steps: $(grep '^train_accuracy,' pn.csv | cut -d, -f2 | tr '\n' ' ')"
[ "$(grep -c '^train_loss,' pn.csv)" = 2 ] || fail "train_loss is not logged twice"
awk -F, '$1 == "train_accuracy" && !($3 == 0 || $3 == 1) { exit 1 }' pn.csv ||
  fail "a batch of one sample has accuracy 0 or 1"

# Every other scalar is a value of metrics.csv, and there is nothing else.
expected_scalars runs/pn/metrics.csv "$spe" yes yes >expected.txt
grep -v '^train_\|^tag,' pn.csv | sort >actual.txt
same_values expected.txt actual.txt
echo "per-neuron run: $(($(wc -l <pn.csv) - 1)) scalars, $steps steps, as metrics.csv"

# A per-layer run: w<i> is the layer's scalar w, no w_std; a LIF run has no w
# (one epoch cut to 3 steps).
"$train" "${common[@]}" -max_epoch 1 --max_steps 3 --name pl >pl.out
"$scalars" runs/pl | grep -v '^train_\|^tag,' | sort >actual.txt
expected_scalars runs/pl/metrics.csv "$(sed -n 's/.*steps \([0-9]*\).*/\1/p' pl.out)" no yes >expected.txt
same_values expected.txt actual.txt
lif=()
for a in "${common[@]}"; do [ "$a" = -use_plif ] || lif+=("$a"); done
"$train" "${lif[@]}" -max_epoch 1 --max_steps 3 --name lif >/dev/null
"$scalars" runs/lif | grep -v '^train_\|^tag,' | sort >actual.txt
expected_scalars runs/lif/metrics.csv 0 no no >expected.txt
same_values expected.txt actual.txt

# --tensorboard off: no event file.
"$train" "${common[@]}" -max_epoch 1 --max_steps 3 --tensorboard off --name off >/dev/null
! ls runs/off | grep -q tfevents || fail "--tensorboard off wrote $(ls runs/off)"

# plif-eval --tensorboard: once per checkpoint epoch and split.
"$eval" runs/pn/checkpoint.h5 frames.h5 --json --tensorboard runs/pn --threads 2 -q >eval.json
accuracy=$(sed -n 's/^  "accuracy": \([0-9.e-]*\),$/\1/p' eval.json)
"$scalars" runs/pn >pn2.csv
line=$(grep '^eval/test/accuracy,' pn2.csv) || fail "no eval/test/accuracy"
[ "${line%,*}" = "eval/test/accuracy,3" ] || fail "eval/test/accuracy not at the checkpoint's epoch: $line"
awk -v a="$accuracy" -v b="${line##*,}" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }' ||
  fail "eval/test/accuracy ${line##*,} is not plif-eval's $accuracy"
[ "$(grep -c '^eval/test/class_accuracy/' pn2.csv)" -ge 1 ] || fail "no per-class accuracy"
files=$(ls runs/pn | grep -c tfevents)
"$eval" runs/pn/checkpoint.h5 frames.h5 --tensorboard runs/pn --threads 2 -q >/dev/null
[ "$(ls runs/pn | grep -c tfevents)" = "$files" ] || fail "a second evaluation logged again"
"$scalars" runs/pn >pn3.csv
one_value_each pn3.csv

# Damage: one line naming the file and the byte offset, exit 1.
event=$(ls runs/pn/events.out.tfevents.* | head -1)
cp "$event" damaged
printf '\x55' | dd of=damaged bs=1 seek=100 conv=notrunc status=none
set +e
"$scalars" damaged >/dev/null 2>err.txt
rc=$?
set -e
[ "$rc" = 1 ] || fail "tb-scalars on a damaged file: exit $rc"
[ "$(wc -l <err.txt)" = 1 ] && grep -q "^tb-scalars: 'damaged': record at byte [0-9]*: the CRC of the .* does not match" err.txt ||
  fail "damage message: $(cat err.txt)"
# A cut last record: skipped with a note, the rest read.
size=$(stat -c %s "$event")
head -c $((size - 5)) "$event" >cut
"$scalars" cut >cut.csv 2>err.txt
grep -q "^tb-scalars: note: 'cut': incomplete last record at byte [0-9]* skipped$" err.txt ||
  fail "no note on the cut record: $(cat err.txt)"
[ "$(wc -l <cut.csv)" -gt 10 ] || fail "the cut file's complete records were not read"
echo "tensorboard_e2e: ok ($((SECONDS - start)) s)"
