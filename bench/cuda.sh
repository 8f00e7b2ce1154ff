#!/usr/bin/env bash
# The CUDA check in one go, on a machine with a GPU, a CUDA-enabled Torch
# (e.g. the one in a PyTorch install), nvcc and plifkit's build dependencies
# (HDF5, cxxopts, GoogleTest headers): builds plifkit against that Torch with
# PLIF_CUDA=ON into build-cuda/ (Ninja, all cores), then runs
# bench/cuda-measure.sh on the result: ldd, the CUDA tests, the training-step
# benchmark of the default network (channels 128, 5 layers, T 20, batch 16,
# 128x128) fused vs plain with --amp off/bf16, and epochs of plif-train on a
# full-size synthetic set (29 users x 4 lightings, ~1000 training samples),
# frames on the GPU and streamed. Figures go to stdout and to one results
# file, $OUT/gpu-results.txt (else build-cuda/gpu-results.txt).
#
# A GPU machine without the build dependencies (or without network) runs
# binaries prepared elsewhere instead: bench/gpu-bundle.sh, see README.
#
#   bench/cuda.sh [--torch DIR] [--quick]
#     --torch DIR  Torch's CMake prefix (default: python3's
#                  torch.utils.cmake_prefix_path)
#     --quick      tests and 3 benchmark steps only (see cuda-measure.sh)
# CUDACXX names nvcc when it is not on PATH (default /usr/local/cuda/bin/nvcc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
torch_prefix="" quick=""
while [ $# -gt 0 ]; do
  case $1 in
    --torch) torch_prefix=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    *) echo "cuda.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
report=${OUT:-$root/build-cuda}/gpu-results.txt
mkdir -p "$(dirname "$report")" "$root/build-cuda"
jobs=$(nproc)

if [ -z "$torch_prefix" ]; then
  torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)') ||
    { echo "cuda.sh: no --torch given and python3 has no torch" >&2; exit 1; }
fi
nvcc=${CUDACXX:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}
# Ninja when there is one: all cores, and -k 0 shows every failing file at once.
if command -v ninja >/dev/null; then generator=(-G Ninja) keep_going=(-k 0); else generator=() keep_going=(-k); fi

echo "== build (PLIF_CUDA=ON, $jobs jobs) =="
start=$(date +%s)
cmake -S "$root" -B "$root/build-cuda" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DPLIF_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_PREFIX_PATH="$torch_prefix" \
  -DPLIFKIT_BUILD_TESTS=ON > "$root/build-cuda/configure.log" ||
  { tail -40 "$root/build-cuda/configure.log"; exit 1; }
grep "plifkit:" "$root/build-cuda/configure.log"
targets=(plifkit_nn_tests bench_train_step plif-train aedat2frames dvs-synth)
cmake --build "$root/build-cuda" -j "$jobs" --target "${targets[@]}" -- "${keep_going[@]}" \
  > "$root/build-cuda/build.log" || { grep -B2 -A20 "error" "$root/build-cuda/build.log" | head -80; exit 1; }
echo "built in $(( $(date +%s) - start )) s"

# The measurements (ldd, CUDA tests, benchmarks) read the binaries from one
# folder, as in a bundle.
mkdir -p "$root/build-cuda/bin"
for t in tests/plifkit_nn_tests bench/bench_train_step tools/plif-train tools/aedat2frames tools/dvs-synth; do
  ln -sf "../$t" "$root/build-cuda/bin/"
done
exec "$root/bench/cuda-measure.sh" --bin "$root/build-cuda/bin" --torch-lib "$torch_prefix/../../lib" \
  --results "$report" ${quick:+--quick}
