#!/usr/bin/env bash
# plif-export against the NIR specification and its reader: every exported
# graph loads with `nir.read` (type checks on), and a NIR interpreter written
# from the specification (nir_run.py) computes, sample by sample, the votes
# and the class plif-eval computes, and every LIF layer's firing rate. Runs:
# the eval fixture's three (tau per neuron, per layer, LIF; max pooling),
# then small ones for average pooling, N-MNIST's network and the two static
# networks (MNIST, CIFAR-10); in every one the voting layer fires. nir, numpy and
# h5py come from PyPI (pinned) into a virtual environment of this test's own
# under the cache folder; where they cannot be installed (no network) the
# test reports itself skipped (77).
# Usage: nir_export.sh BIN_DIR EVAL_FIXTURE SCRATCH
set -euo pipefail
bin=$(realpath "$1") fixture=$(realpath "$2") work=$3
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
venv=${XDG_CACHE_HOME:-$HOME/.cache}/plifkit/nir-venv
if ! "$venv/bin/python" -c "import nir, h5py, numpy" 2>/dev/null; then
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" && timeout 300 "$venv/bin/pip" install -q nir==1.0.8 numpy h5py; } >/dev/null 2>&1; then
    rm -rf "$venv"
    echo "SKIPPED: nir cannot be installed from PyPI here"
    exit 77
  fi
fi
enter_scratch "$work"
python=$venv/bin/python

# check NAME CHECKPOINT FRAMES [--votes]: export, nir.read, interpret, compare.
check() {
  local name=$1 checkpoint=$2 frames=$3
  "$bin/plif-export" "$checkpoint" -o "$name.nir" >/dev/null
  "$python" -c "import nir, sys; nir.read(sys.argv[1], type_check=True)" "$name.nir" ||
    fail "nir.read refused $name.nir"
  "$bin/plif-eval" "$checkpoint" "$frames" --split test -o "$name.eval.h5" --threads 1 -q >/dev/null
  "$python" "$here/nir_run.py" "$name.nir" "$frames" "$name.eval.h5" test ${4:-} >"$name.out" ||
    fail "$name: the NIR graph computes otherwise than plif-eval: $(cat "$name.out")"
  echo "$name: $(head -1 "$name.out")"
}

for run in per_neuron per_layer lif; do
  check "$run" "$fixture/runs/$run/checkpoint.h5" "$fixture/frames.h5" --votes
done

# Trained briefly at a high rate, so that every layer and the vote fire.
small=(-init_tau 2.0 -max_epoch 2 -learning_rate 0.1 -log_dir_prefix runs -seed 2 --threads 1 -q)
"$bin/plif-train" --data "$fixture/frames.h5" "${small[@]}" -channels 8 -number_layer 4 -use_plif \
  -tau_per_neuron -tau_std_dev 0.1 --name average >/dev/null
check average runs/average/checkpoint.h5 "$fixture/frames.h5" --votes

"$bin/dvs-synth" --dataset NMNIST --samples_per_class 4 --events_per_sample 800 --seed 3 -q nmnist >/dev/null
"$bin/aedat2frames" --dataset NMNIST nmnist -o nmnist.h5 --T 4 -q >/dev/null
"$bin/plif-train" --data nmnist.h5 "${small[@]}" -channels 8 -number_layer 2 -use_plif -use_max_pool \
  --name nmnist >/dev/null
check nmnist runs/nmnist/checkpoint.h5 nmnist.h5 --votes

for dataset in MNIST CIFAR10; do
  "$bin/dvs-synth" --dataset $dataset --samples_per_class 4 --test_per_class 2 --seed 3 -q $dataset >/dev/null
  "$bin/aedat2frames" --dataset $dataset $dataset -o $dataset.h5 -q >/dev/null
done
"$bin/plif-train" --data MNIST.h5 "${small[@]}" -T 4 -channels 4 -use_plif -tau_per_neuron -tau_std_dev 0.1 \
  -use_max_pool --name MNIST >/dev/null
check MNIST runs/MNIST/checkpoint.h5 MNIST.h5 --votes
"$bin/plif-train" --data CIFAR10.h5 -init_tau 2.0 -max_epoch 3 -learning_rate 0.03 -log_dir_prefix runs \
  -seed 2 --threads 1 -q -T 6 -channels 4 -use_plif -use_max_pool --name CIFAR10 >/dev/null
check CIFAR10 runs/CIFAR10/checkpoint.h5 CIFAR10.h5 --votes
echo "nir_export: ok, nir $("$python" -c 'import nir; print(nir.version)')"
