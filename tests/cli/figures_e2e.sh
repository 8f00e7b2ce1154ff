#!/usr/bin/env bash
# The figure commands: each writes a PNG of the asked size (read from its
# IHDR chunk) from synthetic run folders (metrics.csv) or, for the tau
# distributions, from the fixture's checkpoints; bad inputs fail with one
# line and leave no file. The looks are checked by people, not here.
# Usage: figures_e2e.sh FIGURES_FOLDER TOOLS_FOLDER FIXTURE_FOLDER SCRATCH_FOLDER
source "$(dirname "$0")/eval_common.sh"
figures=$1 tools=$2 fixture=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work"

# synthetic_run FOLDER EPOCHS SEED TAU_SPREAD: a metrics.csv as plif-train
# writes it (6 neuron layers) with accuracies rising to about 0.9 with noise,
# a falling loss and taus drifting apart by layer; TAU_SPREAD 0 is a run with
# one tau per layer.
synthetic_run() {
  mkdir -p "$1"
  awk -v E="$2" -v seed="$3" -v spread="$4" 'BEGIN {
    srand(seed)
    printf "epoch,train_loss,train_accuracy,val_accuracy,test_accuracy,learning_rate,seconds"
    for (i = 0; i < 6; i++) printf ",w_mean_%d,w_std_%d,tau_mean_%d,tau_std_%d", i, i, i, i
    printf "\n"
    for (e = 0; e < E; e++) {
      p = 1 - exp(-e / (20 + 5 * seed))
      line = sprintf("%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.3f", e, 0.09 * exp(-e / 30) + 0.004 + 0.003 * rand(),
                     0.1 + 0.85 * p + 0.04 * (rand() - 0.5), 0.1 + 0.85 * p + 0.1 * (rand() - 0.5),
                     0.1 + 0.8 * p + 0.1 * (rand() - 0.5), 0.001 * (1 + cos(3.14159265 * e / 64)) / 2, 30)
      for (i = 0; i < 6; i++) {
        tau = 2 + (i - 2.5) * 0.06 * p * (1 + 0.3 * seed)
        s = spread * (1 + p * (1 + i / 3))
        line = line sprintf(",%.6g,%.6g,%.6g,%.6g", -log(tau - 1), s, tau, s)
      }
      print line
    }
  }' >"$1/metrics.csv"
}
synthetic_run runs/baseline 150 1 0
synthetic_run runs/noreg 150 2 0.1
synthetic_run runs/lambda_0.1 120 3 0.05
runs=(runs/baseline "no reg.=runs/noreg" runs/lambda_0.1)

# expect_png FILE WIDTH HEIGHT
expect_png() {
  [ -s "$1" ] || fail "no figure '$1'"
  [ "$(png_size "$1")" = "$2 $3" ] || fail "'$1' is $(png_size "$1"), expected $2 $3"
}

"$figures/accuracy.sh" -o accuracy.png "${runs[@]}"
expect_png accuracy.png 1400 600
"$figures/accuracy.sh" --window 8 --size 800x500 -o accuracy_small.png "${runs[@]}"
expect_png accuracy_small.png 800 500
"$figures/loss.sh" -o loss.png "${runs[@]}"
expect_png loss.png 900 600
"$figures/tau_evolution.sh" -o tau_evolution.png "${runs[@]}"
expect_png tau_evolution.png 1400 900
"$figures/tau_distribution.sh" --bin "$tools" -o tau_distribution.png \
  "$fixture/runs/per_neuron" "one tau per layer=$fixture/runs/per_layer" "$fixture/runs/lif/checkpoint.h5"
expect_png tau_distribution.png 1400 900
# The fixture's runs have a metrics.csv of their own (2 epochs).
"$figures/tau_evolution.sh" --size 1000x700 -o tau_evolution_fixture.png "$fixture/runs/per_neuron" "$fixture/runs/per_layer"
expect_png tau_evolution_fixture.png 1000 700

mkdir -p empty
must_fail 1 "accuracy.sh: no metrics file 'empty/metrics.csv'" "$figures/accuracy.sh" -o bad.png empty
sed "1s/tau_std_0/tau_sd_0/" runs/noreg/metrics.csv >cut.csv
must_fail 1 "tau_evolution.sh: 'cut.csv' has no column 'tau_std_0'" "$figures/tau_evolution.sh" -o bad.png cut.csv
must_fail 1 "tau_distribution.sh: '$fixture/frames.h5': is a plif-frames file, expected plif-checkpoint" \
  "$figures/tau_distribution.sh" --bin "$tools" -o bad.png "$fixture/frames.h5"
must_fail 2 "missing -o FIGURE.png" "$figures/loss.sh" runs/baseline
must_fail 2 "--window must be a positive number of epochs, got '0'" "$figures/accuracy.sh" --window 0 -o bad.png runs/baseline
[ ! -e bad.png ] || fail "a failed figure left bad.png"
! ls | grep -q 'tmp-' || fail "temporary file left behind"
echo "figures_e2e: ok"
