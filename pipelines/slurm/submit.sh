#!/usr/bin/env bash
# Runs the sweep grid (pipelines/grid.sh) as a Slurm job array, one run per
# array task, then the results table as a job that waits for the array.
#   REG_LAMBDAS="0 0.01 0.1" SEEDS="1 2 3" EPOCHS=1256 DEVICE=cuda \
#     pipelines/slurm/submit.sh FRAMES OUT [extra sbatch options, e.g. --partition=gpu --gres=gpu:1]
# FRAMES must exist (make -f Makefile.experiments frames) and, like OUT and
# this checkout, be on storage every node sees. Prints the two job ids.
# Each run over several data-parallel processes (one rank per Slurm task,
# started by srun; docs/training.md):
#   NODES=2 GPUS_PER_NODE=4 DEVICE=cuda pipelines/slurm/submit.sh ...  # 8 GPUs per run
#   TASKS_PER_NODE=2 pipelines/slurm/submit.sh ...                     # 2 CPU ranks per run
set -euo pipefail
frames=$(realpath "$1") out=$(realpath -m "$2")
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
count=$("$root/pipelines/grid.sh" | wc -l)
# Built once here, for every node (the checkout is on shared storage).
make -s -f "$root/Makefile.experiments" tools
mkdir -p "$out"
export PLIFKIT_ROOT=$root FRAMES=$frames OUT=$out
nodes=${NODES:-1} per_node=${GPUS_PER_NODE:-${TASKS_PER_NODE:-1}}
ranks=()
if [ $((nodes * per_node)) -gt 1 ]; then
  ranks=(--nodes="$nodes" --ntasks-per-node="$per_node")
  [ -z "${GPUS_PER_NODE:-}" ] || ranks+=(--gres=gpu:"$GPUS_PER_NODE")
  # The runs' plif-train under srun: one rank per task of the job.
  export TRAIN_LAUNCH="srun --kill-on-bad-exit=1"
fi
array=$(sbatch --parsable --export=ALL --array=0-$((count - 1)) --chdir="$out" "${ranks[@]}" "$@" \
  "$root/pipelines/slurm/sweep.sbatch")
table=$(sbatch --parsable --export=ALL --dependency=afterok:"$array" --chdir="$out" \
  --job-name=plif-sweep-table --output=%x-%j.out "$@" \
  --wrap="\"$root/pipelines/sweep_table.sh\" \"$out\"")
echo "array $array ($count runs), table $table"
