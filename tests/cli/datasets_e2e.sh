#!/usr/bin/env bash
# End-to-end for one dataset of the registry, through all four stages:
# dvs-synth writes a small synthetic set in the real layout (awkward, for the
# event datasets), aedat2frames converts it, plif-train trains a small
# network (per-neuron tau, the regulariser) a few epochs, plif-eval and
# tau-stats read the result. Everything about the dataset (input kind, size,
# classes, storage, decoder) comes from its registry row (`aedat2frames
# --list-datasets --format tsv`), so a new row is tested without a new test.
# Checks that the frames file names the dataset, its size and classes, that
# the awkward parts each decoder knows were reported, that the test accuracy
# is well above chance, and that plif-eval's per-class table lists the
# dataset's classes. For the image datasets also that -T is required and the
# event frames' options are refused.
# Usage: datasets_e2e.sh DATASET BIN_DIR
set -euo pipefail
dataset=$1 bin=$2
here=$(cd "$(dirname "$0")" && pwd)
facts=$("$here/../../pipelines/dataset_facts.sh" "$bin" "$dataset")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL ($dataset): $*"; exit 1; }
eval "$facts"
echo "$dataset: $facts"

size="$height $width"
chance=$(awk -v n="$classes" 'BEGIN { printf "%.4f", 1 / n }')
# A small run: many classes of large frames (ASL-DVS) get fewer samples,
# events and frames; at most four conv blocks, as many as leave 4 pixels a
# side (N-MNIST's 34x34: three).
many=$((classes > 16))
per_class=$((many ? 6 : 24))
side=$((height < width ? height : width))
layers=4
while ((layers > 1 && (side >> layers) < 4)); do layers=$((layers - 1)); done
if [ "$input" = images ]; then
  images=true T=4
  "$bin/dvs-synth" --dataset "$dataset" --samples_per_class $per_class --test_per_class 6 --seed 3 -q data >/dev/null
  "$bin/aedat2frames" --dataset "$dataset" data -o frames.h5 --threads 1 -q >convert.out 2>convert.err
  steps=(-T $T -channels 8)
else
  images=false T=$((many ? 4 : 6))
  case $storage in
    recordings) synth=(--users 5 --lightings 2 --events_per_gesture 2000) ;;
    *) synth=(--samples_per_class $per_class --events_per_sample $((many ? 1000 : 1500))) ;;
  esac
  "$bin/dvs-synth" --dataset "$dataset" "${synth[@]}" --awkward --seed 3 -q data >/dev/null
  "$bin/aedat2frames" --dataset "$dataset" data -o frames.h5 --T $T --threads 1 -q >convert.out 2>convert.err
  steps=(-channels 8)
fi
cat convert.out convert.err

attr() { h5dump -a "/$1" frames.h5 | sed -n 's/.*(0): "*\([^"]*\)"*.*/\1/p' | head -1; }
[ "$(attr dataset)" = "$dataset" ] || fail "dataset attribute '$(attr dataset)'"
[ "$(attr height) $(attr width)" = "$size" ] || fail "size $(attr height) x $(attr width)"
[ "$(attr class_num)" = "$classes" ] || fail "class_num $(attr class_num)"
$images || [ "$(attr orientation)" = reference ] || fail "orientation $(attr orientation)"
! $images || [ "$(attr input_kind)" = images ] || fail "input_kind $(attr input_kind)"
grep -q "$first_class " convert.out || fail "the class table does not list '$first_class'"
# What each decoder's --awkward files hold that the conversion reports.
case $decoder in
  nmnist_bin)
    grep -q "timestamp-overflow records" convert.out || fail "overflow marker not reported"
    grep -q "no events, all $T frames are zero" convert.err || fail "empty file not reported"
    grep -q "train files of the full dataset are not in the folder" convert.err || fail "partial download not reported" ;;
  aedat20)
    grep -q "special events (address bit 31) kept" convert.out || fail "special event not reported" ;;
  asl_mat)
    grep -q "train files of the full dataset are not in the folder" convert.err || fail "missing file not reported" ;;
  *) ;;
esac

common=(--data frames.h5 -dataset_name "$dataset" -init_tau 2.0 -use_max_pool -detach_reset -use_plif
        -tau_per_neuron -tau_std_dev 0.1 -reg_lambda 0.01 -number_layer $layers -max_epoch 4 -T_max 4
        -learning_rate 0.01 -log_dir_prefix runs -seed 5 --threads 1 -q)
if $images; then
  # An images file has no T, and no frames options apply.
  set +e
  "$bin/plif-train" "${common[@]}" --name no_t 2>err.txt >/dev/null; rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q -- "--T is required" err.txt || fail "-T missing was not refused (rc $rc: $(cat err.txt))"
  set +e
  "$bin/plif-train" "${common[@]}" -T 4 -split_by number --name split 2>err.txt >/dev/null; rc=$?
  set -e
  [ $rc -eq 2 ] && grep -q -- "--split_by does not apply" err.txt || fail "-split_by was not refused (rc $rc)"
fi
"$bin/plif-train" "${common[@]}" "${steps[@]}" --name small >train.out
accuracy=$(sed -n 's/.*max test accuracy \([0-9.]*\).*/\1/p' train.out)
echo "$dataset: max test accuracy $accuracy (chance $chance)"
awk -v a="$accuracy" -v c="$chance" 'BEGIN { exit !(a >= 3 * c) }' || fail "accuracy $accuracy not well above chance $chance"

if $images; then
  # The augmentation is drawn per step from the seed: the same run stopped by
  # SIGINT after its first epoch's checkpoint and resumed ends with the
  # uninterrupted run's checkpoint.
  "$bin/plif-train" "${common[@]}" "${steps[@]}" --name again >/dev/null 2>again.err &
  pid=$!
  for _ in $(seq 600); do
    [ -f runs/again/checkpoint.h5 ] && break
    sleep 0.05
  done
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$bin/plif-train" "${common[@]}" "${steps[@]}" --name again >/dev/null
  for obj in /model /optimizer /state; do
    h5diff -q runs/small/checkpoint.h5 runs/again/checkpoint.h5 "$obj" "$obj" ||
      fail "the resumed run differs from the uninterrupted one in $obj"
  done
fi

"$bin/plif-eval" runs/small/checkpoint_max.h5 frames.h5 -o eval.h5 --threads 1 -q >eval.out
grep -q "$first_class" eval.out || fail "plif-eval's table does not name class '$first_class'"
"$bin/tau-stats" runs/small/checkpoint.h5 -o tau.h5 >tau.out
grep -q "^conv\.[0-9]* " tau.out || fail "tau-stats lists no conv neuron layer"
grep -q "^fc\.[0-9]* " tau.out || fail "tau-stats lists no linear neuron layer (the voting layer)"
echo "ok"
