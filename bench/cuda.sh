#!/usr/bin/env bash
# The CUDA check in one go, for a machine with a GPU and a CUDA-enabled Torch
# (e.g. the one in a PyTorch install): builds plifkit against that Torch with
# PLIF_CUDA=ON into build-cuda/, runs the CUDA tests, then the training-step
# benchmark of the default network (channels 128, 5 layers, T 20, batch 16,
# 128x128) fused vs plain and with --amp off/bf16, and one epoch of plif-train
# on a full-size synthetic set (29 users x 4 lightings, ~1000 training
# samples). Reports go to stdout and, with OUT set, to $OUT/cuda-report.txt.
#
#   bench/cuda.sh [--torch DIR] [--deps DIR] [--quick]
#     --torch DIR  Torch's CMake prefix (default: python3's
#                  torch.utils.cmake_prefix_path)
#     --deps DIR   a folder of Debian .deb files (bench/cuda-deps.sh fetches
#                  them) unpacked and used when the machine lacks HDF5,
#                  cxxopts or GoogleTest headers
#     --quick      benchmark 3 steps instead of 10, skip the epoch
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
torch_prefix="" deps="" steps=10 epoch=1
hdf5_hints=()
while [ $# -gt 0 ]; do
  case $1 in
    --torch) torch_prefix=$2; shift 2 ;;
    --deps) deps=$2; shift 2 ;;
    --quick) steps=3; epoch=0; shift ;;
    *) echo "cuda.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
report=${OUT:-$root/build-cuda}/cuda-report.txt
mkdir -p "$(dirname "$report")" "$root/build-cuda"
exec > >(tee "$report") 2>&1
jobs=$(nproc)

if [ -z "$torch_prefix" ]; then
  torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') ||
    { echo "cuda.sh: no --torch given and python3 has no torch" >&2; exit 1; }
fi
prefix_path="$torch_prefix"
if [ -n "$deps" ]; then
  # Debian packages unpacked into a private root: headers, libraries and
  # CMake files for HDF5, zlib, cxxopts and GoogleTest.
  sysroot=$root/build-cuda/deps-root
  rm -rf "$sysroot" && mkdir -p "$sysroot"
  for deb in "$deps"/*.deb; do dpkg-deb -x "$deb" "$sysroot"; done
  prefix_path="$prefix_path;$sysroot/usr"
  # Debian keeps HDF5 under hdf5/serial; without an h5cc wrapper FindHDF5
  # searches HDF5_ROOT alone.
  export HDF5_ROOT=$sysroot/usr/lib/x86_64-linux-gnu/hdf5/serial
  export LD_LIBRARY_PATH=$sysroot/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  hdf5_hints=(-DHDF5_C_COMPILER_EXECUTABLE=HDF5_C_COMPILER_EXECUTABLE-NOTFOUND)
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' || true

echo "== build (PLIF_CUDA=ON) =="
start=$(date +%s)
cmake -S "$root" -B "$root/build-cuda" -DCMAKE_BUILD_TYPE=Release -DPLIF_CUDA=ON \
  -DCMAKE_PREFIX_PATH="$prefix_path" "${hdf5_hints[@]}" \
  -DPLIFKIT_BUILD_TESTS=ON > "$root/build-cuda/configure.log"
grep "plifkit:" "$root/build-cuda/configure.log"
cmake --build "$root/build-cuda" -j "$jobs" --target plifkit_nn_tests bench_train_step \
  plif-train aedat2frames dvs-synth > "$root/build-cuda/build.log" ||
  { tail -40 "$root/build-cuda/build.log"; exit 1; }
echo "built in $(( $(date +%s) - start )) s"

echo "== CUDA tests =="
"$root/build-cuda/tests/plifkit_nn_tests" --gtest_filter='*_CUDA:DeviceName.*:Resume.*'

echo "== training step, default network (channels 128) =="
bench=$root/build-cuda/bench/bench_train_step
common=(--device cuda --channels 128 --steps "$steps" --neurons)
get() { sed -n "s/^$2 //p" <<<"$1"; }
fused=$("$bench" --mode fused "${common[@]}"); echo "$fused"
bf16=$("$bench" --mode fused --amp bf16 "${common[@]}"); echo "$bf16"
plain=$("$bench" --mode plain "${common[@]}"); echo "$plain"
plain_bf16=$("$bench" --mode plain --amp bf16 "${common[@]}"); echo "$plain_bf16"
awk -v f="$(get "$fused" step_median_s)" -v b="$(get "$bf16" step_median_s)" \
    -v p="$(get "$plain" step_median_s)" -v pb="$(get "$plain_bf16" step_median_s)" \
    -v fbm="$(get "$bf16" peak_gpu_mib)" -v pbm="$(get "$plain_bf16" peak_gpu_mib)" \
    -v fm="$(get "$fused" peak_gpu_mib)" \
    -v pm="$(get "$plain" peak_gpu_mib)" -v fn="$(get "$fused" neuron_fwd_bwd_median_s)" \
    -v pn="$(get "$plain" neuron_fwd_bwd_median_s)" 'BEGIN {
  printf "step, float32: fused %.1f ms, plain %.1f ms (fused %.2fx faster)\n", 1e3*f, 1e3*p, p/f
  printf "step, bf16:    fused %.1f ms, plain %.1f ms (fused %.2fx faster)\n", 1e3*b, 1e3*pb, pb/b
  printf "peak GPU memory, bf16: fused %.0f MiB, plain %.0f MiB\n", fbm, pbm
  printf "neuron layers fwd+bwd: fused %.1f ms, plain %.1f ms (%.2fx); share of the fused step %.0f%%\n", 1e3*fn, 1e3*pn, pn/fn, 100*fn/f
  printf "peak GPU memory: fused %.0f MiB, plain %.0f MiB (%.0f%% lower)\n", fm, pm, 100*(1-fm/pm)
  printf "1256 epochs of ~62 steps at the fused step time: %.2f h of steps\n", 1256*62*f/3600 }'

if [ "$epoch" = 1 ]; then
  echo "== one epoch on a full-size synthetic set =="
  data=$root/build-cuda/synth
  "$root/build-cuda/tools/dvs-synth" --users 29 --lightings 4 --events_per_gesture 20000 -q "$data/raw"
  "$root/build-cuda/tools/aedat2frames" "$data/raw" -o "$data/frames.h5" --T 20 -q
  for amp in off bf16; do
    rm -rf "$data/runs"
    "$root/build-cuda/tools/plif-train" --data "$data/frames.h5" -init_tau 2.0 -use_plif \
      -use_max_pool -detach_reset -tau_per_neuron -tau_std_dev 0.1 -reg_lambda 0.01 \
      -max_epoch 2 -device cuda --amp "$amp" -log_dir_prefix "$data/runs" --name e -q
    echo "amp $amp: epoch seconds (epoch 0 includes warm-up):"
    cut -d, -f1,7 "$data/runs/e/metrics.csv"
  done
fi
