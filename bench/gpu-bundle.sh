#!/usr/bin/env bash
# Prepares, on a machine without a GPU, what a session lent a GPU machine
# carries there (that machine has PyTorch with CUDA but maybe no HDF5, no
# compiler and no network): plifkit built against the same PyTorch release
# (CUDA-enabled wheel from PyPI, in a virtual environment of this script's
# own), PLIF_CUDA=ON, Ninja, into build-gpu/; the binaries bench/cuda-measure.sh
# runs, with their shared-library closure less LibTorch and CUDA
# (bench/cuda-deps.sh), in build-gpu/bundle, checked to stay under the
# transfer limit. On the GPU machine, from the work tree:
#   bench/cuda-measure.sh --bin build-gpu/bundle/bin
#
# Environment:
#   PLIFKIT_GPU_TORCH  the GPU machine's PyTorch (default 'torch==2.11.*')
#   PLIFKIT_GPU_VENV   the virtual environment (default ~/.cache/plifkit/torch211-venv)
#   CUDACXX            nvcc (default /usr/local/cuda/bin/nvcc)
#   PLIFKIT_JOBS       build jobs (default 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
spec=${PLIFKIT_GPU_TORCH:-torch==2.11.*}
venv=${PLIFKIT_GPU_VENV:-$HOME/.cache/plifkit/torch211-venv}
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
jobs=${PLIFKIT_JOBS:-2}
build=$root/build-gpu
limit_mib=60  # the transfer limit is 64 MiB, with the work tree

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$spec"
read -r torch_prefix torch_lib < <("$venv/bin/python" -W ignore -c \
  'import os, torch; print(torch.utils.cmake_prefix_path, os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)
"$venv/bin/python" -W ignore -c 'import torch; print("gpu-bundle.sh: torch", torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null

start=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPLIF_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_PREFIX_PATH="$torch_prefix" -DPLIFKIT_BUILD_TESTS=ON \
  > "$build.configure.log" 2>&1 || { tail -40 "$build.configure.log"; exit 1; }
targets=(plifkit_nn_tests bench_train_step plif-train aedat2frames dvs-synth)
cmake --build "$build" -j "$jobs" --target "${targets[@]}" -- -k 0
echo "gpu-bundle.sh: built in $(( $(date +%s) - start )) s with $jobs jobs"

"$root/bench/cuda-deps.sh" "$torch_lib" "$build/bundle" "$build/tests/plifkit_nn_tests" \
  "$build/bench/bench_train_step" "$build/tools/plif-train" "$build/tools/aedat2frames" \
  "$build/tools/dvs-synth"
size_mib=$(( $(du -sb "$build/bundle" | cut -f1) / 1048576 ))
[ "$size_mib" -lt "$limit_mib" ] ||
  { echo "gpu-bundle.sh: the bundle takes $size_mib MiB, over $limit_mib" >&2; exit 1; }
echo "gpu-bundle.sh: build-gpu/bundle ready ($size_mib MiB); carry it to the GPU machine"
