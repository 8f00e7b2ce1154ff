#!/usr/bin/env bash
# The second test configuration: plifkit built against the LibTorch inside
# the current PyTorch from PyPI (its CUDA-enabled wheel), with nvcc and
# PLIF_CUDA=ON, into build-torch2/, and the whole suite run there. On a
# machine without a GPU the *_CUDA tests compile and their suites report
# skipped; what this catches is Torch API drift between Debian's LibTorch
# 1.13 (scripts/test.sh) and the Torch 2.x that GPU machines have.
#
# PyTorch goes into a virtual environment of this script's own (default
# ~/.cache/plifkit/torch2-venv; pip's cache is reused between runs) and is
# upgraded to PyPI's newest on every run. Environment:
#   PLIFKIT_TORCH2_VENV   the virtual environment's folder
#   PLIFKIT_TORCH2_SPEC   what pip installs (default: torch), e.g. 'torch==2.11.*'
#   CUDACXX               nvcc (default /usr/local/cuda/bin/nvcc)
#   PLIFKIT_JOBS          build and test jobs (default 2)
# Extra arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${PLIFKIT_TORCH2_VENV:-$HOME/.cache/plifkit/torch2-venv}
spec=${PLIFKIT_TORCH2_SPEC:-torch}
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
jobs=${PLIFKIT_JOBS:-2}
build=$root/build-torch2

"$root/scripts/install-deps.sh"
[ -x "$nvcc" ] || { echo "test-torch2.sh: no nvcc at '$nvcc' (set CUDACXX)" >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# Offline, the PyTorch installed before still checks the build.
if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade "$spec"; then
  "$venv/bin/python" -W ignore -c 'import torch' 2>/dev/null ||
    { echo "test-torch2.sh: cannot install '$spec' into $venv" >&2; exit 1; }
  echo "test-torch2.sh: pip failed; testing against the PyTorch already in $venv" >&2
fi
torch_prefix=$("$venv/bin/python" -W ignore -c 'import torch; print(torch.utils.cmake_prefix_path)')
"$venv/bin/python" -W ignore -c 'import torch; print("test-torch2.sh: torch", torch.__version__, "CUDA", torch.version.cuda)'

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPLIFKIT_BUILD_TESTS=ON \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DCMAKE_CUDA_COMPILER="$nvcc" -DPLIF_CUDA=ON >/dev/null
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" "$@"
