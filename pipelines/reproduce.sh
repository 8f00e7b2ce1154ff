#!/usr/bin/env bash
# The reference study on the real DVS128 Gesture dataset, with the
# reference's settings (T 20, 1256 epochs, 128 channels, 5 layers), for the
# seeds given (default: 2020, as the reference; give several to measure the
# spread). Resumable: run it again after an interruption.
#   pipelines/reproduce.sh DVSGESTURE_DIR [OUT] [make variables, e.g. SEEDS="2020 2021 2022" DEVICE=cpu]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DVSGESTURE_DIR [OUT] [VAR=value ...]" >&2; exit 2; }
data=$(cd "$1" && pwd)
out=${2:-results}
shift $(( $# >= 2 ? 2 : 1 ))
root=$(cd "$(dirname "$0")/.." && pwd)
exec make -f "$root/Makefile.experiments" all DATA="$data" OUT="$out" EPOCHS=1256 T=20 \
  CHANNELS=128 LAYERS=5 SMOOTH=64 "$@"
