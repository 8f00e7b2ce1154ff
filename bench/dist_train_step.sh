#!/usr/bin/env bash
# Data-parallel training step on this machine's CPUs: plif-train with 1 rank
# and with R ranks (Gloo on loopback, started by pipelines/launch_ranks.sh as
# torchrun starts them), the cores shared fairly (threads per rank = cores /
# ranks), interleaved in rounds. The step time of a configuration is
#   (wall of a run of S+K steps - wall of a run of K steps) / S,
# so start-up, data loading and the first steps' warm-up cancel; the median
# over the rounds is printed with the scaling efficiency (1-rank step /
# R-rank step) and the bytes each rank sends per step.
#   bench/dist_train_step.sh [--ranks 2] [--rounds 3] [--steps 4] [--channels 32] [--T 20]
#                            [--batch 16] [--layers 5] [--tau per_neuron|per_layer]
# On a GPU machine --device cuda runs R ranks on R GPUs over NCCL (bench/cuda.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$root/build/tools}
ranks=2 rounds=3 steps=4 channels=32 T=20 batch=16 layers=5 tau=per_neuron device=cpu
while [ $# -gt 0 ]; do
  case $1 in
    --ranks) ranks=$2 ;; --rounds) rounds=$2 ;; --steps) steps=$2 ;; --channels) channels=$2 ;;
    --T) T=$2 ;; --batch) batch=$2 ;; --layers) layers=$2 ;; --tau) tau=$2 ;; --device) device=$2 ;;
    *) echo "dist_train_step.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A DVS128 Gesture-shaped set: 9 training users x 2 lightings x 11 gestures,
# ~11 steps of 16 per epoch (the runs check that they made every step).
"$bin/dvs-synth" --users 12 --lightings 2 --events_per_gesture 20000 --seed 1 -q "$work/data" >/dev/null
"$bin/aedat2frames" "$work/data" -o "$work/frames.h5" --T "$T" -q >/dev/null
neuron=(-use_plif -tau_per_neuron -tau_std_dev 0.1 -reg_lambda 0.01)
[ "$tau" = per_layer ] && neuron=(-use_plif)
warm=2
# wall N STEPS: seconds of a run of STEPS steps over N ranks.
wall() {
  local n=$1 s=$2 threads=$(( cores / $1 > 0 ? cores / $1 : 1 )) start end launch=()
  [ "$n" -gt 1 ] && launch=("$root/pipelines/launch_ranks.sh" "$n")
  rm -rf "$work/runs"
  start=$(date +%s.%N)
  "${launch[@]}" "$bin/plif-train" --data "$work/frames.h5" -init_tau 2.0 -max_epoch 1 --max_steps "$s" \
    -batch_size "$batch" -channels "$channels" -number_layer "$layers" "${neuron[@]}" -use_max_pool \
    -device "$device" --threads "$threads" --tensorboard off -q -log_dir_prefix "$work/runs" --name b \
    >"$work/summary.txt"
  end=$(date +%s.%N)
  grep -q " steps $s " "$work/summary.txt" ||
    { echo "dist_train_step.sh: the run made other than $s steps: $(cat "$work/summary.txt")" >&2; exit 1; }
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
one=() many=()
for round in $(seq "$rounds"); do
  for n in 1 "$ranks"; do
    short=$(wall "$n" "$warm") long=$(wall "$n" $((warm + steps)))
    step=$(awk -v s="$short" -v l="$long" -v k="$steps" 'BEGIN { printf "%.3f", (l - s) / k }')
    if [ "$n" = 1 ]; then one+=("$step"); else many+=("$step"); sent=$(sed -n 's/.*, \([0-9.]*\) MB sent.*/\1/p' "$work/summary.txt"); fi
    echo "round $round: $n rank(s), $(( cores / n > 0 ? cores / n : 1 )) thread(s) each: $step s per step"
  done
done
m1=$(echo "${one[*]}" | median) mn=$(echo "${many[*]}" | median)
echo "machine: $cores cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)); device $device"
echo "network: channels $channels, T $T, global batch $batch, 128x128, $layers layers, $tau tau"
echo "step median: 1 rank $m1 s, $ranks ranks $mn s; 1-rank / $ranks-rank step $(awk -v a="$m1" -v b="$mn" 'BEGIN { printf "%.2f", a / b }')"
echo "sent per rank and step with $ranks ranks: $sent MB"
