#!/usr/bin/env bash
# plif-export and plif-import against the NIR specification and its reader:
# every exported graph loads with `nir.read` (type checks on), and a NIR
# interpreter written from the specification (nir_run.py) computes, sample by
# sample, the votes and the class plif-eval computes, and every LIF layer's
# firing rate. The round trip: plif-import of the graph gives a checkpoint
# whose plif-eval counts and firing rates are those of the original, and
# whose export is the first graph within float rounding. Graphs of other
# shapes and files that are no NIR graphs are refused with one line. The same
# with max pooling's spike written as a LIF (--pool-spike lif). Runs:
# the eval fixture's three (DVS128 Gesture's network; tau per neuron, per
# layer, LIF; max pooling), then small ones for average pooling and the
# networks of the six other datasets; in every one the voting layer fires. nir, numpy and
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

# check NAME CHECKPOINT FRAMES [--votes]: export, nir.read, interpret, compare,
# import, evaluate again, export again.
check() {
  local name=$1 checkpoint=$2 frames=$3
  "$bin/plif-export" "$checkpoint" -o "$name.nir" >/dev/null
  "$bin/plif-eval" "$checkpoint" "$frames" --split test -o "$name.eval.h5" --threads 1 -q >/dev/null
  "$python" "$here/nir_run.py" "$name.nir" "$frames" "$name.eval.h5" test --nir-read ${4:-} >"$name.out" ||
    fail "$name: nir.read refused the graph, or it computes otherwise than plif-eval: $(cat "$name.out")"
  "$bin/plif-import" "$name.nir" -o "$name.imported.h5" >/dev/null
  "$bin/plif-eval" "$name.imported.h5" "$frames" --split test -o "$name.imported.eval.h5" --threads 1 -q >/dev/null
  for data in /counts /predicted /firing_rate; do
    h5diff -q "$name.eval.h5" "$name.imported.eval.h5" $data $data ||
      fail "$name: the imported checkpoint's $data differs from the original's"
  done
  "$bin/plif-export" "$name.imported.h5" -o "$name.again.nir" >/dev/null
  h5diff -q -p 1e-6 "$name.nir" "$name.again.nir" /node/nodes /node/nodes ||
    fail "$name: export(import(graph)) is not the graph"
  echo "$name: $(head -1 "$name.out"); the round trip evaluates the same"
}

for run in per_neuron per_layer lif; do
  check "$run" "$fixture/runs/$run/checkpoint.h5" "$fixture/frames.h5" --votes
done

# Max pooling's spike as a stateless LIF (--pool-spike lif, for importers
# without Threshold): the interpreter and the round trip as above.
"$bin/plif-export" "$fixture/runs/per_neuron/checkpoint.h5" -o spike_lif.nir --pool-spike lif >/dev/null
"$python" "$here/nir_run.py" spike_lif.nir "$fixture/frames.h5" per_neuron.eval.h5 test --votes >spike_lif.out ||
  fail "--pool-spike lif computes otherwise than plif-eval: $(cat spike_lif.out)"
"$bin/plif-import" spike_lif.nir -o spike_lif.h5 >/dev/null
"$bin/plif-eval" spike_lif.h5 "$fixture/frames.h5" --split test -o spike_lif.eval.h5 --threads 1 -q >/dev/null
h5diff -q per_neuron.eval.h5 spike_lif.eval.h5 /counts /counts || fail "plif-import of a --pool-spike lif graph evaluates otherwise"
echo "spike_lif: $(head -1 spike_lif.out); the round trip evaluates the same"

# Trained briefly at a high rate, so that every layer and the vote fire.
brief=(-init_tau 2.0 -max_epoch 2 -learning_rate 0.1 -log_dir_prefix runs -seed 2 --threads 1 -q)
"$bin/plif-train" --data "$fixture/frames.h5" "${brief[@]}" -channels 8 -number_layer 4 -use_plif \
  -tau_per_neuron -tau_std_dev 0.1 --name average >/dev/null
check average runs/average/checkpoint.h5 "$fixture/frames.h5" --votes

# small DATASET "SYNTH_OPTIONS" "CONVERT_OPTIONS" TRAIN_OPTIONS...: a synthetic
# set of DATASET, converted, trained briefly, then checked.
small() {
  local dataset=$1 synth=$2 convert=$3
  shift 3
  "$bin/dvs-synth" --dataset $dataset $synth --seed 3 -q $dataset >/dev/null
  "$bin/aedat2frames" --dataset $dataset $dataset -o $dataset.h5 $convert -q >/dev/null 2>&1
  "$bin/plif-train" --data $dataset.h5 "${brief[@]}" "$@" --name $dataset >/dev/null
  check $dataset runs/$dataset/checkpoint.h5 $dataset.h5 --votes
}
small NMNIST "--samples_per_class 4 --events_per_sample 800" "--T 4" -channels 8 -number_layer 2 -use_plif -use_max_pool
small CIFAR10DVS "--samples_per_class 6 --events_per_sample 3000" "--T 4" -channels 4 -number_layer 4 -use_plif \
  -tau_per_neuron -tau_std_dev 0.1 -use_max_pool
small ASLDVS "--samples_per_class 2 --events_per_sample 3000" "--T 4" -channels 4 -number_layer 4 -use_plif -use_max_pool
small MNIST "--samples_per_class 4 --test_per_class 2" "" -T 4 -channels 4 -use_plif -tau_per_neuron \
  -tau_std_dev 0.1 -use_max_pool
small FashionMNIST "--samples_per_class 4 --test_per_class 2" "" -T 4 -channels 4 -use_plif -use_max_pool
brief=(-init_tau 2.0 -max_epoch 3 -learning_rate 0.03 -log_dir_prefix runs -seed 2 --threads 1 -q)
small CIFAR10 "--samples_per_class 4 --test_per_class 2" "" -T 6 -channels 4 -use_plif -use_max_pool

# The imported checkpoints serve the other tools.
"$bin/tau-stats" per_neuron.imported.h5 >tau.txt || fail "tau-stats refused an imported checkpoint"
"$bin/plif-train" --data "$fixture/frames.h5" -init_tau 2.0 -channels 8 -number_layer 4 -use_plif -tau_per_neuron \
  -use_max_pool -max_epoch 1 --max_steps 1 --init_checkpoint per_neuron.imported.h5 -log_dir_prefix runs \
  --name from_nir --threads 1 -q >/dev/null || fail "--init_checkpoint refused an imported checkpoint"

# Refusals: one line naming what does not fit, exit 1, no output.
refuse() {  # refuse FILE EXPECTED_TEXT
  local rc=0
  "$bin/plif-import" "$1" -o refused.h5 2>err.txt >/dev/null || rc=$?
  [ $rc -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -qF -- "$2" err.txt ||
    fail "plif-import $1: rc $rc, '$(cat err.txt)' (expected '$2')"
  [ ! -e refused.h5 ] || fail "plif-import $1 left refused.h5"
}
"$python" - <<'PY'
import nir, numpy as np
shape = np.array([4, 128, 128])
lif = lambda: nir.LIF(tau=np.full(shape, 0.002), r=np.ones(shape), v_leak=np.zeros(shape),
                      v_threshold=np.ones(shape), v_reset=np.zeros(shape))
# DVS128 Gesture's input and classes, but no pooling: not plifkit's network.
nodes = {"input": nir.Input(input_type={"input": np.array([2, 128, 128])}),
         "conv": nir.Conv2d(input_shape=(128, 128), weight=np.ones((4, 2, 3, 3), np.float32), stride=1,
                            padding=1, dilation=1, groups=1, bias=np.zeros(4, np.float32)),
         "lif": lif(), "flat": nir.Flatten(start_dim=0, end_dim=-1, input_type={"input": shape}),
         "fc": nir.Linear(weight=np.ones((11, 4 * 128 * 128), np.float32)),
         "output": nir.Output(output_type={"output": np.array([11])})}
chain = [("input", "conv"), ("conv", "lif"), ("lif", "flat"), ("flat", "fc"), ("fc", "output")]
nir.write("unpooled.nir", nir.NIRGraph(nodes=nodes, edges=chain, metadata={"T": 4}))
nir.write("branch.nir", nir.NIRGraph(nodes=dict(nodes, lif2=lif()), edges=chain + [("lif", "lif2")],
                                     type_check=False))
PY
refuse unpooled.nir "node 'flat' (Flatten) stands where plifkit's network has a SumPool2d"
refuse branch.nir "node 'lif' (LIF) has 2 successors"
refuse "$fixture/runs/per_neuron/checkpoint.h5" "not a NIR file"
echo "nir_export: ok, nir $("$python" -c 'import nir; print(nir.version)')"
