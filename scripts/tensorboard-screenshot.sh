#!/usr/bin/env bash
# Makes the README's pictures of TensorBoard (docs/img/tensorboard_*.png):
# TensorBoard from PyPI, in a virtual environment under the cache folder,
# serving the demo's run folders (make -f Makefile.experiments demo) on
# 127.0.0.1, photographed by Debian's headless Chromium (apt-get install
# chromium). Not part of the build or the tests.
# Usage: scripts/tensorboard-screenshot.sh [RUNS_DIR] [OUT_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-$root/demo-out/runs} out=${2:-$root/docs/img}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/plifkit/tensorboard-venv
if ! "$venv/bin/python" -c "import tensorboard" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q tensorboard
fi
port=${TB_PORT:-6123}
log=$(mktemp)
"$venv/bin/tensorboard" --logdir "$runs" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$port/" >/dev/null && break
  sleep 1
done
shot() {  # FILE URL
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1500,1050 \
    --virtual-time-budget=30000 --screenshot="$1" "$2" >/dev/null 2>&1
  echo "wrote $1"
}
base="http://127.0.0.1:$port/?darkMode=false"
shot "$out/tensorboard_scalars.png" "$base#scalars&tagFilter=%5E(test%7Cval)_accuracy%24&_smoothingWeight=0"
shot "$out/tensorboard_histograms.png" "$base#histograms&tagFilter=plifkit%2Ftau%5B05%5D&regexInput=noreg_seed1"
