#!/usr/bin/env bash
# Configures (Release) and builds plifkit into build/. Extra arguments go to
# cmake's configure step, e.g. -DPLIFKIT_BUILD_TESTS=OFF.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${PLIFKIT_JOBS:-2}
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$root/build" -j "$jobs"
