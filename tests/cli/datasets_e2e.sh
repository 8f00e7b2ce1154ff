#!/usr/bin/env bash
# End-to-end on the datasets beyond DVS128 Gesture: for DATASET, dvs-synth
# writes a small synthetic set in the real layout (awkward, for the event
# datasets), aedat2frames converts it, plif-train trains a small network
# (per-neuron tau, the regulariser) a few epochs, plif-eval and tau-stats
# read the result. Checks that the frames file names the dataset, its size
# and classes, that the awkward parts were reported (empty file, overflow
# marker, special event, partial download), that the test accuracy is well
# above chance, and that plif-eval's per-class table lists the dataset's
# classes. For the image datasets also that -T is required and the event
# frames' options are refused.
# Usage: datasets_e2e.sh DATASET BIN_DIR
set -euo pipefail
dataset=$1 bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL ($dataset): $*"; exit 1; }

images=false
case $dataset in
  NMNIST) size="34 34" classes=10 per_class=24 events=1500 layers=3 T=6 chance=0.1 first=0 last=fc.6 ;;
  CIFAR10DVS) size="128 128" classes=10 per_class=24 events=1500 layers=4 T=6 chance=0.1 first=airplane last=fc.6 ;;
  ASLDVS) size="180 240" classes=24 per_class=6 events=1000 layers=4 T=4 chance=0.0417 first=a last=fc.6 ;;
  MNIST) images=true size="28 28" classes=10 per_class=24 layers=2 T=4 chance=0.1 first=0 channels=8 last=fc.6 ;;
  FashionMNIST) images=true size="28 28" classes=10 per_class=24 layers=2 T=4 chance=0.1 first=Trouser channels=8 last=fc.6 ;;
  CIFAR10) images=true size="32 32" classes=10 per_class=24 layers=2 T=4 chance=0.1 first=airplane channels=8 last=fc.5 ;;
  *) fail "unknown dataset" ;;
esac

if $images; then
  "$bin/dvs-synth" --dataset "$dataset" --samples_per_class $per_class --test_per_class 6 --seed 3 -q data >/dev/null
  "$bin/aedat2frames" --dataset "$dataset" data -o frames.h5 --threads 2 -q >convert.out 2>convert.err
  steps=(-T $T -channels $channels)
else
  "$bin/dvs-synth" --dataset "$dataset" --samples_per_class $per_class --events_per_sample $events \
    --awkward --seed 3 -q data >/dev/null
  "$bin/aedat2frames" --dataset "$dataset" data -o frames.h5 --T $T --threads 2 -q >convert.out 2>convert.err
  steps=(-channels 8)
fi
cat convert.out convert.err

attr() { h5dump -a "/$1" frames.h5 | sed -n 's/.*(0): "*\([^"]*\)"*.*/\1/p' | head -1; }
[ "$(attr dataset)" = "$dataset" ] || fail "dataset attribute '$(attr dataset)'"
[ "$(attr height) $(attr width)" = "$size" ] || fail "size $(attr height) x $(attr width)"
[ "$(attr class_num)" = "$classes" ] || fail "class_num $(attr class_num)"
$images || [ "$(attr orientation)" = reference ] || fail "orientation $(attr orientation)"
! $images || [ "$(attr input_kind)" = images ] || fail "input_kind $(attr input_kind)"
grep -q "$first " convert.out || fail "the class table does not list '$first'"
case $dataset in
  MNIST | FashionMNIST | CIFAR10) ;;
  NMNIST)
    grep -q "timestamp-overflow records" convert.out || fail "overflow marker not reported"
    grep -q "no events, all $T frames are zero" convert.err || fail "empty file not reported"
    grep -q "train files of the full dataset are not in the folder" convert.err || fail "partial download not reported" ;;
  CIFAR10DVS)
    grep -q "special events (address bit 31) kept" convert.out || fail "special event not reported" ;;
  ASLDVS)
    grep -q "train files of the full dataset are not in the folder" convert.err || fail "missing file not reported" ;;
esac

common=(--data frames.h5 -dataset_name "$dataset" -init_tau 2.0 -use_max_pool -detach_reset -use_plif
        -tau_per_neuron -tau_std_dev 0.1 -reg_lambda 0.01 -number_layer $layers -max_epoch 4 -T_max 4
        -learning_rate 0.01 -log_dir_prefix runs -seed 5 --threads 2 -q)
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

"$bin/plif-eval" runs/small/checkpoint_max.h5 frames.h5 -o eval.h5 --threads 2 -q >eval.out
grep -q "$first" eval.out || fail "plif-eval's table does not name class '$first'"
"$bin/tau-stats" runs/small/checkpoint.h5 -o tau.h5 >tau.out
grep -q "^$last " tau.out || fail "tau-stats does not list the voting layer $last"
echo "ok"
