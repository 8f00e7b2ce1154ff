#!/usr/bin/env bash
# The reference study's own training step beside plif-train's, in one run:
# each round runs, one process each, the reference's Python (its models.py and
# the step of its train_val.py, bench/reference/step.py) and bench_train_step
# (the step plif-train runs, fused, with its allocator) on the same network,
# for one tau per layer and one tau per neuron; prints a Markdown table of the
# medians over rounds and the ratios.
#
#   bench/reference_step.sh --reference DIR [--rounds 3] [--steps 3] [--threads 2]
#
# DIR is a checkout of the reference study's repository (the one whose README
# is plifkit's seed: code/models.py, code/train_val.py, and spikingjelly/, the
# old SpikingJelly it pins); plifkit does not ship it. Without its
# spikingjelly/ folder, SpikingJelly 0.0.0.0.2 (the PyPI release with the
# clock_driven API models.py imports) is installed into a virtual environment
# of this benchmark's own ($REFERENCE_VENV, default
# ~/.cache/plifkit/reference-venv). The reference runs on Debian's PyTorch
# (python3-torch, python3-torchvision: installed when missing, as root or
# with sudo).
#
# Configurations: per layer, channels 32, batch 16 (bench_train_step's
# default network); per neuron, channels 128, batch 4, because the
# reference's models.py shapes its per-neuron taus for 128 channels (the
# study's width; batch 4 keeps its memory within a 24 GiB machine). Both T 20,
# 128x128 input, 5 layers, random event frames with 1 % non-zero counts (as
# DVS128 Gesture's at T 20). Not part of the test suite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bench=${BENCH_BIN:-$root/build/bench/bench_train_step}
venv=${REFERENCE_VENV:-$HOME/.cache/plifkit/reference-venv}
reference="" rounds=3 steps=3 threads=2
while [ $# -gt 0 ]; do
  case $1 in
    --reference) reference=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "reference_step.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$reference" ] || { echo "reference_step.sh: --reference DIR (a checkout of the reference study's repository) is required" >&2; exit 2; }
[ -f "$reference/code/models.py" ] || { echo "reference_step.sh: $reference/code/models.py: no such file (not the reference's repository?)" >&2; exit 2; }
[ -x "$bench" ] || { echo "reference_step.sh: missing '$bench'" >&2; echo "hint: scripts/build.sh" >&2; exit 1; }

# Debian's PyTorch, as the issue that asked for this measurement ran it.
python=/usr/bin/python3
if ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
    python3-torch python3-torchvision python3-venv
fi
if [ -d "$reference/spikingjelly/spikingjelly/clock_driven" ]; then
  export PYTHONPATH="$reference/spikingjelly"
  spikingjelly="the reference repository's spikingjelly/"
else
  [ -x "$venv/bin/python" ] || "$python" -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --no-deps spikingjelly==0.0.0.0.2
  python=$venv/bin/python
  spikingjelly="PyPI spikingjelly 0.0.0.0.2"
fi

get() { sed -n "s/^$2 //p" <<<"$1"; }
configs=("layer 32 16" "neuron 128 4")
declare -A step rss faults
for round in $(seq "$rounds"); do
  for config in "${configs[@]}"; do
    read -r tau channels batch <<<"$config"
    common=(--tau "$tau" --channels "$channels" --batch "$batch" --steps "$steps" --threads "$threads")
    for impl in reference plifkit; do
      if [ "$impl" = reference ]; then
        out=$("$python" "$here/reference/step.py" --code "$reference/code" --T 20 "${common[@]}" 2>/dev/null)
      else
        out=$("$bench" --mode fused -T 20 --input_density 0.01 "${common[@]}")
      fi
      key="$impl $tau"
      step[$key]="${step[$key]:-} $(get "$out" step_median_s)"
      rss[$key]="${rss[$key]:-} $(get "$out" peak_rss_mib)"
      faults[$key]="${faults[$key]:-} $(get "$out" minor_faults_per_step)"
      echo "round $round, $impl, tau per $tau: step $(get "$out" step_median_s) s, peak $(get "$out" peak_rss_mib) MiB" >&2
    done
  done
done

# The median (the mean of the middle two for an even count).
median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -g | awk '{v[NR] = $1} END {print (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2}'; }
echo "Reference: its models.py and train_val.py's step on Debian's PyTorch $("$python" -c 'import torch; print(torch.__version__)'), SpikingJelly from $spikingjelly; plifkit: bench_train_step --mode fused. $rounds rounds, $steps timed steps per process, $threads threads, $(nproc) cores."
echo
echo "| tau | network | reference step | plifkit step | ratio | reference peak RSS | plifkit peak RSS | memory ratio | minor faults per step (reference / plifkit) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
  read -r tau channels batch <<<"$config"
  rs=$(median "${step[reference $tau]}") ps=$(median "${step[plifkit $tau]}")
  rm=$(median "${rss[reference $tau]}") pm=$(median "${rss[plifkit $tau]}")
  rf=$(median "${faults[reference $tau]}") pf=$(median "${faults[plifkit $tau]}")
  awk -v t="$tau" -v c="$channels" -v b="$batch" -v rs="$rs" -v ps="$ps" -v rm="$rm" -v pm="$pm" \
      -v rf="$rf" -v pf="$pf" 'BEGIN {
    printf "| per %s | channels %d, batch %d | %.2f s | %.2f s | **%.2fx** | %.0f MiB | %.0f MiB | %.2fx | %.0f / %.0f |\n",
           t, c, b, rs, ps, rs / ps, rm, pm, pm / rm, rf, pf }'
done
