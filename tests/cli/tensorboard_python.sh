#!/usr/bin/env bash
# TensorBoard's own reader on a plif-train run folder of two event files (a
# run extended by a second call): it reads the same scalars as tb-scalars and
# one tau histogram per layer and epoch. TensorBoard comes from PyPI into a
# virtual environment of this test's own under the cache folder; where it
# cannot be installed (no network) the test reports itself skipped (77).
# Usage: tensorboard_python.sh DVS_SYNTH AEDAT2FRAMES PLIF_TRAIN TB_SCALARS SCRATCH
set -euo pipefail
synth=$(realpath "$1") convert=$(realpath "$2") train=$(realpath "$3") scalars=$(realpath "$4")
work=$5
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
venv=${XDG_CACHE_HOME:-$HOME/.cache}/plifkit/tensorboard-venv
if ! "$venv/bin/python" -c "import tensorboard" 2>/dev/null; then
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" && timeout 300 "$venv/bin/pip" install -q tensorboard; } >/dev/null 2>&1; then
    rm -rf "$venv"
    echo "SKIPPED: TensorBoard cannot be installed from PyPI here"
    exit 77
  fi
fi
enter_scratch "$work"

"$synth" --users 4 --lightings 2 --events_per_gesture 1500 --seed 7 -q data >/dev/null
"$convert" data -o frames.h5 --T 4 -q >/dev/null
common=(--data frames.h5 -init_tau 2.0 -use_plif -tau_per_neuron -tau_std_dev 0.1 -channels 4
        -number_layer 4 -batch_size 4 -seed 5 --threads 2 -log_dir_prefix runs --name run -q)
"$train" "${common[@]}" -max_epoch 1 >/dev/null
"$train" "${common[@]}" -max_epoch 2 >/dev/null
[ "$(ls runs/run | grep -c tfevents)" = 2 ] || fail "expected two event files: $(ls runs/run)"

"$scalars" runs/run >ours.csv
"$venv/bin/python" "$here/tensorboard_read.py" runs/run >theirs.csv 2>histograms.txt ||
  fail "TensorBoard read no scalars or no histograms: $(cat histograms.txt)"
cmp -s ours.csv theirs.csv || fail "TensorBoard reads other scalars: $(diff ours.csv theirs.csv | head -5)"
[ "$(grep -c '^plifkit/tau[0-5] 0:[0-9]* 1:[0-9]*$' histograms.txt)" = 6 ] ||
  fail "not one histogram per layer and epoch: $(cat histograms.txt)"
echo "tensorboard_python: ok, TensorBoard $("$venv/bin/python" -c 'import tensorboard; print(tensorboard.__version__)') reads $(($(wc -l <ours.csv) - 1)) scalars and $(wc -l <histograms.txt) histogram tags as plifkit does"
