#!/usr/bin/env bash
# plifkit against SpikingJelly, snnTorch, Norse and Tonic on the same work,
# in one run, each measurement in its own process; prints Markdown tables
# (medians and ratios) and keeps every raw output under $PEERS_WORK/results.
#
#   bench/peers/run.sh [--device cpu|cuda] [--steps 1] [--runs 3] [--threads N]
#
# --steps: timed training steps per configuration after a warm-up step;
# --runs: runs of each frames conversion. On the 2-core guests here a run
# with --steps 3 took 9 minutes (Intel Xeon, AVX-512) and about 40 (AMD EPYC
# under load), nearly all of it in the peers' training steps.
#
# Needs a Release build of plifkit in build/ (scripts/build.sh; a CUDA build
# for --device cuda). The peers are installed, pinned (requirements.txt),
# into a virtual environment of this benchmark's own outside the source tree
# ($PEERS_VENV, default ~/.cache/plifkit/peers-venv), never into the system's
# Python. Not part of the test suite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${PLIFKIT_BUILD:-$root/build}
venv=${PEERS_VENV:-$HOME/.cache/plifkit/peers-venv}
work=${PEERS_WORK:-/tmp/plifkit_peers}
device=cpu steps=1 runs=3 threads=$(nproc)
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
for tool in tools/dvs-synth tools/aedat2frames bench/bench_train_step bench/bench_neuron_layer; do
  [ -x "$build/$tool" ] || { echo "run.sh: missing '$build/$tool'" >&2
                             echo "hint: scripts/build.sh" >&2; exit 1; }
done

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet -r "$here/requirements.txt"
py="$venv/bin/python"
results=$work/results
rm -rf "$results" && mkdir -p "$results"
export OMP_NUM_THREADS=$threads

{
  echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "plifkit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "device $device threads $threads"
  "$py" - <<'EOF'
import importlib.metadata as m, platform
print("python", platform.python_version())
for p in ("torch", "spikingjelly", "snntorch", "norse", "tonic", "numpy"):
    print(p, m.version(p))
EOF
} > "$results/versions.txt"
cat "$results/versions.txt" >&2

# --- frames: the same synthetic folder through every tool ---------------------
data=$work/dvsgesture
[ -f "$data/trials_to_train.txt" ] ||
  "$build/tools/dvs-synth" --users 4 --lightings 2 --events_per_gesture 50003 "$data" >&2
cat "$data"/*.aedat > /dev/null  # into the page cache, for every tool alike
for r in $(seq "$runs"); do
  for tool in plifkit spikingjelly tonic; do
    (cd "$here" && "$py" frames.py "$tool" "$data" "$work" --jobs "$threads" \
       --aedat2frames "$build/tools/aedat2frames") >> "$results/frames_$tool.txt"
  done
done
(cd "$here" && "$py" frames.py compare "$data" "$work") > "$results/frames_compare.txt"

# --- training step: the study's network, one configuration per process ---------
# plifkit before every peer and after the last, so that each peer's step has
# plifkit's measured beside it in time (a guest's speed drifts over minutes).
for tau in neuron layer; do
  plifkit_run=0
  plifkit_step() {
    plifkit_run=$((plifkit_run + 1))
    "$build/bench/bench_train_step" --mode fused --tau "$tau" --steps "$steps" --device "$device" \
      --threads "$threads" > "$results/train_plifkit_${tau}_$plifkit_run.txt"
  }
  for peer in spikingjelly snntorch norse; do
    plifkit_step
    (cd "$here" && "$py" train_step.py --peer "$peer" --tau "$tau" --steps "$steps" \
       --device "$device" --threads "$threads") > "$results/train_${peer}_$tau.txt"
  done
  plifkit_step
done

# --- the neuron layer alone, and the copy of as many bytes ---------------------
"$build/bench/bench_neuron_layer" --device "$device" --threads "$threads" > "$results/neuron_plifkit.txt"
for peer in spikingjelly snntorch norse; do
  (cd "$here" && "$py" neuron_layer.py --peer "$peer" --device "$device" --threads "$threads" \
     --repeats "$steps") \
    > "$results/neuron_$peer.txt"
done

"$py" "$here/report.py" "$results"
