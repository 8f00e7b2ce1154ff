#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs the whole suite
# (unit tests and command-line tests) with CTest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DPLIFKIT_BUILD_TESTS=ON
cd "$root/build"
ctest --output-on-failure -j "${PLIFKIT_JOBS:-2}" "$@"
