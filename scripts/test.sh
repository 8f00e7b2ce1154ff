#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole
# suite (unit and command-line tests, via CTest) in both build
# configurations: against Debian's LibTorch 1.13 (build/), then against the
# LibTorch inside PyPI's current PyTorch with CUDA (build-torch2/, see
# scripts/test-torch2.sh). Extra arguments go to both ctest runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DPLIFKIT_BUILD_TESTS=ON
(cd "$root/build" && ctest --output-on-failure -j "${PLIFKIT_JOBS:-2}" "$@")
"$root/scripts/test-torch2.sh" "$@"
