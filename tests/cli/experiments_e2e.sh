#!/usr/bin/env bash
# Makefile.experiments end to end, in a temporary folder: the demo study
# (made smaller) finishes with the table, evaluations, tau statistics and
# figures; a second make does no work; deleting one run's checkpoint redoes
# that run only.
# Usage: experiments_e2e.sh REPO_ROOT TOOLS_DIR
set -euo pipefail
root=$1 bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

demo() {
  make -f "$root/Makefile.experiments" demo BIN="$bin" DEMO_EPOCHS=1 DEMO_SEEDS="1 2" \
    DEMO_SYNTH="--users 4 --lightings 1 --events_per_gesture 1500" THREADS=1 2>&1
}

demo > first.log || { cat first.log; exit 1; }
for f in demo-out/frames.h5 demo-out/table1.md demo-out/tau_stats.h5 \
         demo-out/eval/lambda01_seed2_best.h5 demo-out/eval/baseline_seed1_latest.h5 \
         demo-out/figures/accuracy.png demo-out/figures/tau_evolution.png \
         demo-out/figures/tau_distribution.png demo-out/figures/loss.png; do
  [ -s "$f" ] || { echo "FAIL: $f missing or empty"; exit 1; }
done
for model in baseline noreg lambda001 lambda01; do
  grep -q "^| $model | 2 | " demo-out/table1.md || { echo "FAIL: no row for $model"; cat demo-out/table1.md; exit 1; }
done
# (Counted by the recipes' command lines: a build of the tools, when they are
# older than their sources, also prints their names.)
[ "$(grep -c "^$bin/plif-train " first.log)" -eq 8 ] || { echo "FAIL: expected 8 training runs"; cat first.log; exit 1; }

demo > second.log
if grep -q -E "^$bin/(plif-train|aedat2frames|plif-eval|dvs-synth) |Building CXX" second.log; then
  echo "FAIL: the second make did work:"; cat second.log; exit 1
fi

rm demo-out/runs/noreg_seed1/checkpoint.h5
demo > third.log
trained=$(grep -o -- '--name [a-z0-9_]*' third.log | sort -u | tr '\n' ' ')
[ "$trained" = "--name noreg_seed1 " ] || { echo "FAIL: redone runs: '$trained'"; exit 1; }
[ -s demo-out/runs/noreg_seed1/checkpoint.h5 ] || { echo "FAIL: checkpoint not rebuilt"; exit 1; }
echo PASS
