#!/usr/bin/env bash
# The GPU measurements, from binaries already built against a CUDA LibTorch:
# shared libraries first (ldd, so a missing one shows before anything runs),
# then the CUDA tests, then the benchmarks; a failing step is reported and the
# next one still runs, so the timings come even when a test fails. Every
# figure goes to one results file (and to stdout).
#
#   bench/cuda-measure.sh --bin DIR [--torch-lib DIR] [--quick] [--results FILE]
#     --bin DIR        the binaries: plifkit_nn_tests bench_train_step
#                      dvs-synth aedat2frames plif-train (a bundle's bin/ made
#                      by bench/gpu-bundle.sh, or bench/cuda.sh's build)
#     --torch-lib DIR  LibTorch's libraries (default: python3's torch/lib)
#     --quick          the quick pass only: tests, 3 benchmark steps, no epochs
#     --results FILE   default $OUT/gpu-results.txt, else DIR/../gpu-results.txt
#
# Without --quick a quick pass (3 steps, float32 fused vs plain) comes first,
# so a session cut short still has a step time, then the full one: 10 steps
# fused/plain x float32/bf16, and two epochs on a full-size synthetic set with
# the frames on the GPU (--amp off, bf16) and streamed from the host.
set -uo pipefail
bin="" torch_lib="" quick=0 results=""
while [ $# -gt 0 ]; do
  case $1 in
    --bin) bin=$(cd "$2" && pwd); shift 2 ;;
    --torch-lib) torch_lib=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --results) results=$2; shift 2 ;;
    *) echo "cuda-measure.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$bin" ] || { echo "cuda-measure.sh: --bin DIR is required" >&2; exit 2; }
if [ -z "$torch_lib" ]; then
  torch_lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))') ||
    { echo "cuda-measure.sh: no --torch-lib given and python3 has no torch" >&2; exit 1; }
fi
results=${results:-${OUT:-$bin/..}/gpu-results.txt}
mkdir -p "$(dirname "$results")"
: > "$results"
exec > >(tee -a "$results") 2>&1
# LibTorch, and the CUDA libraries of a pip install (nvidia/*/lib beside
# torch/), which the binaries' own cudart needs as LibTorch does.
library_path=$torch_lib
for d in "$torch_lib"/../../nvidia/*/lib; do
  [ -d "$d" ] && library_path=$library_path:$(cd "$d" && pwd)
done
export LD_LIBRARY_PATH=$library_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
status=0
failed() { echo "FAILED: $1"; status=1; }
section() { echo; echo "== $1 ($(date -u +%H:%M:%S)) =="; }

section "machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' || true
echo "library path: $LD_LIBRARY_PATH"

section "shared libraries"
for b in plifkit_nn_tests bench_train_step dvs-synth aedat2frames plif-train; do
  [ -x "$bin/$b" ] || { failed "no binary $bin/$b"; continue; }
  echo "-- $b"
  ldd "$bin/$b"
  if ldd "$bin/$b" | grep -q "not found"; then failed "$b: unresolved libraries"; fi
done
[ "$status" = 0 ] || { echo "cuda-measure.sh: stopping: libraries missing"; exit 1; }

section "CUDA tests"
"$bin/plifkit_nn_tests" --gtest_filter='*_CUDA:DeviceName.*:Resume.*' --gtest_brief=0 ||
  failed "CUDA tests"

bench=$bin/bench_train_step
common=(--device cuda --channels 128 --neurons)
get() { sed -n "s/^$2 //p" <<<"$1"; }

section "quick pass: training step, default network (channels 128), 3 steps"
for mode in fused plain; do
  out=$("$bench" --mode "$mode" --steps 3 "${common[@]}") || failed "quick bench $mode"
  sed "s/^/quick_${mode}_off /" <<<"$out"
done
[ "$quick" = 1 ] && exit "$status"

section "full pass: training step, default network (channels 128), 10 steps"
declare -A report
for mode in fused plain; do
  for amp in off bf16; do
    out=$("$bench" --mode "$mode" --amp "$amp" --steps 10 "${common[@]}") || failed "bench $mode $amp"
    sed "s/^/${mode}_$amp /" <<<"$out"
    report[$mode,$amp]=$out
  done
done
awk -v f="$(get "${report[fused,off]}" step_median_s)" -v b="$(get "${report[fused,bf16]}" step_median_s)" \
    -v p="$(get "${report[plain,off]}" step_median_s)" -v pb="$(get "${report[plain,bf16]}" step_median_s)" \
    -v fm="$(get "${report[fused,off]}" peak_gpu_mib)" -v pm="$(get "${report[plain,off]}" peak_gpu_mib)" \
    -v fbm="$(get "${report[fused,bf16]}" peak_gpu_mib)" -v pbm="$(get "${report[plain,bf16]}" peak_gpu_mib)" \
    -v fn="$(get "${report[fused,off]}" neuron_fwd_bwd_median_s)" \
    -v pn="$(get "${report[plain,off]}" neuron_fwd_bwd_median_s)" 'BEGIN {
  if (f == "" || p == "" || b == "" || pb == "") { print "summary: some benchmark runs failed"; exit }
  printf "step, float32: fused %.1f ms, plain %.1f ms (fused %.2fx faster)\n", 1e3*f, 1e3*p, p/f
  printf "step, bf16:    fused %.1f ms, plain %.1f ms (fused %.2fx faster)\n", 1e3*b, 1e3*pb, pb/b
  printf "neuron layers fwd+bwd, float32: fused %.1f ms, plain %.1f ms (%.2fx); share of the fused step %.0f%%\n", 1e3*fn, 1e3*pn, pn/fn, 100*fn/f
  printf "peak GPU memory, float32: fused %.0f MiB, plain %.0f MiB (%.0f%% lower)\n", fm, pm, 100*(1-fm/pm)
  printf "peak GPU memory, bf16: fused %.0f MiB, plain %.0f MiB\n", fbm, pbm
  printf "1256 epochs of ~62 steps at the fused float32 step time: %.2f h of steps\n", 1256*62*f/3600 }'

section "epochs on a full-size synthetic set (29 users x 4 lightings)"
data=$(mktemp -d "${TMPDIR:-/tmp}/plifkit-gpu.XXXXXX")
trap 'rm -rf "$data"' EXIT
"$bin/dvs-synth" --users 29 --lightings 4 --events_per_gesture 20000 -q "$data/raw" &&
  "$bin/aedat2frames" "$data/raw" -o "$data/frames.h5" --T 20 -q || failed "synthetic set"
for run in "off" "bf16" "off --stream_frames"; do
  read -r amp stream <<<"$run"
  rm -rf "$data/runs"
  if "$bin/plif-train" --data "$data/frames.h5" -init_tau 2.0 -use_plif -use_max_pool -detach_reset \
       -tau_per_neuron -tau_std_dev 0.1 -reg_lambda 0.01 -max_epoch 2 -device cuda --amp "$amp" \
       ${stream:+"$stream"} -log_dir_prefix "$data/runs" --name e -q; then
    echo "epoch seconds, amp $amp ${stream:-frames on the GPU} (epoch 0 includes warm-up):"
    cut -d, -f1,7 "$data/runs/e/metrics.csv"
  else
    failed "plif-train amp $amp ${stream:-}"
  fi
done

section "data-parallel over NCCL (one rank per GPU; one GPU: a group of one)"
gpus=$(nvidia-smi -L 2>/dev/null | wc -l)
ranks=$(( gpus >= 2 ? 2 : 1 ))
rm -rf "$data/runs"
for r in $(seq 1 $((ranks - 1))); do
  RANK=$r WORLD_SIZE=$ranks LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 MASTER_PORT=29555 \
    "$bin/plif-train" --data "$data/frames.h5" -init_tau 2.0 -use_plif -use_max_pool -tau_per_neuron \
    -tau_std_dev 0.1 -max_epoch 1 --max_steps 10 -device cuda -log_dir_prefix "$data/runs" --name d -q &
done
if RANK=0 WORLD_SIZE=$ranks LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=29555 \
     "$bin/plif-train" --data "$data/frames.h5" -init_tau 2.0 -use_plif -use_max_pool -tau_per_neuron \
     -tau_std_dev 0.1 -max_epoch 1 --max_steps 10 -device cuda -log_dir_prefix "$data/runs" --name d -q; then
  wait
  echo "NCCL, $ranks rank(s): 10 steps; $(tail -1 "$data/runs/d/metrics.csv" | cut -d, -f1-7)"
else
  wait || true
  failed "plif-train over NCCL, $ranks rank(s)"
fi
echo
echo "cuda-measure.sh: done, status $status; results in $results"
exit "$status"
