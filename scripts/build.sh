#!/usr/bin/env bash
# Configures (Release) and builds plifkit into build/. Extra arguments go to
# cmake's configure step, e.g. -DPLIFKIT_BUILD_TESTS=OFF. PLIFKIT_TARGETS
# (space-separated) builds only those targets, e.g. "plif-train plif-eval".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${PLIFKIT_JOBS:-2}
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
targets=()
for t in ${PLIFKIT_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$root/build" -j "$jobs" "${targets[@]}"
