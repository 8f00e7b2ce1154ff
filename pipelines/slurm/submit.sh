#!/usr/bin/env bash
# Runs the sweep grid (pipelines/grid.sh) as a Slurm job array, one run per
# array task, then the results table as a job that waits for the array.
#   REG_LAMBDAS="0 0.01 0.1" SEEDS="1 2 3" EPOCHS=1256 DEVICE=cuda \
#     pipelines/slurm/submit.sh FRAMES OUT [extra sbatch options, e.g. --partition=gpu --gres=gpu:1]
# FRAMES must exist (make -f Makefile.experiments frames) and, like OUT and
# this checkout, be on storage every node sees. Prints the two job ids.
set -euo pipefail
frames=$(realpath "$1") out=$(realpath -m "$2")
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
count=$("$root/pipelines/grid.sh" | wc -l)
# Built once here, for every node (the checkout is on shared storage).
make -s -f "$root/Makefile.experiments" tools
mkdir -p "$out"
export PLIFKIT_ROOT=$root FRAMES=$frames OUT=$out
array=$(sbatch --parsable --export=ALL --array=0-$((count - 1)) --chdir="$out" "$@" \
  "$root/pipelines/slurm/sweep.sbatch")
table=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" --chdir="$out" \
  --job-name=plif-sweep-table --output=%x-%j.out "$@" \
  --wrap="\"$root/pipelines/sweep_table.sh\" \"$out\"")
echo "array $array ($count runs), table $table"
