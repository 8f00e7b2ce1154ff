#!/usr/bin/env bash
# The main job: installs what is missing, builds, then runs the study.
#   scripts/demo.sh                    the demo: the whole study, small, on synthetic data
#   scripts/demo.sh /data/DvsGesture   the reference study on the real dataset
# Extra make variables can follow the folder, e.g. SEEDS="2020 2021" DEVICE=cpu.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DPLIFKIT_BUILD_TESTS=OFF
cd "$root"
if [ $# -ge 1 ] && [ -d "$1" ]; then
  data=$(cd "$1" && pwd)
  shift
  exec make -f Makefile.experiments all DATA="$data" "$@"
fi
exec make -f Makefile.experiments demo "$@"
