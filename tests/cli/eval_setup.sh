#!/usr/bin/env bash
# The inputs of the evaluation command-line tests (a CTest fixture): a small
# synthetic dataset as frames with T 6 and with T 4, and three short
# plif-train runs of two epochs on it: tau per neuron, tau per layer, LIF.
# Usage: eval_setup.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN FOLDER
set -euo pipefail
synth=$1 convert=$2 train=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
cd "$out"

# 4 users: 3 train (66 samples; val_ratio 0.5 keeps 3 per class for validation), 1 test (22).
# Dense events and a high learning rate: after 4 optimizer steps the voting
# layer already fires, so the votes differ between samples and classes.
"$synth" --users 4 --lightings 2 --events_per_gesture 30000 --seed 3 -q data >/dev/null
"$convert" data -o frames.h5 --T 6 -q >/dev/null
"$convert" data -o frames_t4.h5 --T 4 -q >/dev/null

common=(--data frames.h5 -init_tau 2.0 -use_max_pool -channels 8 -number_layer 4 -max_epoch 2
        -learning_rate 0.1 --val_ratio 0.5 -log_dir_prefix runs -seed 4 --threads 2 -q)
"$train" "${common[@]}" -use_plif -tau_per_neuron -tau_std_dev 0.1 --name per_neuron >/dev/null
"$train" "${common[@]}" -use_plif --name per_layer >/dev/null
"$train" "${common[@]}" --name lif >/dev/null
echo "eval_setup: ok"
