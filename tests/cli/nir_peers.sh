#!/usr/bin/env bash
# plif-export's graphs in peers' NIR importers, and a peer's export through
# plif-import, each against plif-eval sample by sample (nir_peers.py says
# what each peer reads differently). On the eval fixture's three networks
# (DVS128 Gesture's; max pooling; a tau per neuron, one per layer, LIF):
#   - Norse (norse.torch.from_nir) runs all three, exported with
#     --pool-spike lif (Norse has no Threshold node);
#   - snnTorch (import_from_nir) runs the per-layer and LIF ones, exported
#     with --dt 0.0001 (the dt snnTorch assumes) and --pool-spike lif; a tau
#     per neuron it cannot represent (one threshold scale per layer);
#   - a network of the same shape built and exported by snnTorch
#     (export_to_nir: average pooling, a beta per channel / per neuron,
#     r = tau / dt) goes through plif-import: plif-eval's votes are the ones
#     snnTorch computes itself.
# PyTorch, snnTorch, Norse, nir and nirtorch come from PyPI (pinned) into a
# virtual environment of this test's own under the cache folder (about
# 5.5 GB, installed once); where they cannot be installed (no network) the
# test reports itself skipped (77).
# Usage: nir_peers.sh BIN_DIR EVAL_FIXTURE SCRATCH
set -euo pipefail
bin=$(realpath "$1") fixture=$(realpath "$2") work=$3
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
venv=${XDG_CACHE_HOME:-$HOME/.cache}/plifkit/nir-peers-venv
packages=(torch==2.15.0 torchvision==0.29.2 norse==1.1.0 snntorch==1.0.0 nir==1.0.8 nirtorch==2.6 numpy==2.4.6 h5py)
if ! "$venv/bin/python" -c "import norse, snntorch, nirtorch, nir, h5py" 2>/dev/null; then
  rm -rf "$venv"
  if ! { python3 -m venv "$venv" && timeout 1200 "$venv/bin/pip" install -q "${packages[@]}"; } >/dev/null 2>&1; then
    rm -rf "$venv"
    echo "SKIPPED: PyTorch, snnTorch and Norse cannot be installed from PyPI here"
    exit 77
  fi
fi
enter_scratch "$work"
python=$venv/bin/python
frames=$fixture/frames.h5

jobs=()
for run in per_neuron per_layer lif; do
  "$bin/plif-eval" "$fixture/runs/$run/checkpoint.h5" "$frames" --split test -o $run.eval.h5 --threads 1 -q >/dev/null
  "$bin/plif-export" "$fixture/runs/$run/checkpoint.h5" -o $run.norse.nir --pool-spike lif >/dev/null
  jobs+=(norse:$run.norse.nir:$run.eval.h5)
  [ $run = per_neuron ] && continue
  "$bin/plif-export" "$fixture/runs/$run/checkpoint.h5" -o $run.snntorch.nir --pool-spike lif --dt 0.0001 >/dev/null
  jobs+=(snntorch:$run.snntorch.nir:$run.eval.h5)
done
"$python" "$here/nir_peers.py" run "$frames" test "${jobs[@]}" >peers.out 2>&1 ||
  fail "a peer computes otherwise than plif-eval: $(grep -v -i warn peers.out)"
grep -E "^(norse|snntorch)," peers.out
echo "snntorch, per_neuron: not run (snnTorch's import scales each layer's threshold by one tau)"

# The other way: snnTorch's own network and export, through plif-import.
"$python" "$here/nir_peers.py" snntorch-export per_layer.norse.nir "$frames" test peer.nir peer_votes.npy \
  >export.out 2>&1 || fail "snnTorch's network or export failed: $(tail -3 export.out)"
T=$("$python" -c "import h5py, sys; print(h5py.File(sys.argv[1])['test']['frames'].shape[1])" "$frames")
"$bin/plif-import" peer.nir -o peer.h5 --dataset DVS128Gesture --T "$T" --dt 0.0001 >/dev/null ||
  fail "plif-import refused snnTorch's export"
"$bin/plif-eval" peer.h5 "$frames" --split test -o peer.eval.h5 --threads 1 -q >/dev/null
"$python" "$here/nir_peers.py" compare-votes peer_votes.npy peer.eval.h5 >compare.out ||
  fail "plif-eval of snnTorch's export differs from snnTorch: $(cat compare.out)"
head -1 compare.out
echo "nir_peers: ok ($("$python" -c 'import norse, snntorch, nir; print("norse", norse.__version__, "snntorch", snntorch.__version__, "nir", nir.version)' 2>/dev/null))"
