#!/usr/bin/env bash
# A grid over reg_lambda, tau_std_dev, init_tau and seeds (see grid.sh), run
# on this machine JOBS at a time, ending in one results table (OUT/sweep.md).
#   REG_LAMBDAS="0 0.01 0.1" SEEDS="1 2 3" pipelines/sweep.sh FRAMES OUT [JOBS]
# Each run resumes if interrupted; the same runs go to a cluster with slurm/.
set -euo pipefail
frames=$1 out=$2 jobs=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
count=$("$here/grid.sh" | wc -l)
# The tools, once, before the runs start side by side.
make -s -f "$here/../Makefile.experiments" tools
seq 0 $((count - 1)) | xargs -P "$jobs" -I{} "$here/run_task.sh" {} "$frames" "$out"
"$here/sweep_table.sh" "$out"
