#!/usr/bin/env bash
# Starts N ranks of a data-parallel command on this machine as torchrun does
# (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1, MASTER_PORT), without
# PyTorch installed: the launcher Makefile.experiments uses for RANKS > 1.
#   pipelines/launch_ranks.sh N COMMAND [ARGS...]
# SIGINT and SIGTERM go to every rank (plif-train then stops all at one step
# with a checkpoint); the exit status is the first non-zero rank's, else 0.
# MASTER_PORT from the environment, else a free one.
set -euo pipefail
n=$1
shift
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "launch_ranks.sh: N must be a positive whole number, not '$n'" >&2; exit 2; }
port=${MASTER_PORT:-}
while [ -z "$port" ]; do
  port=$((20000 + RANDOM % 30000))
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then port=; fi
done
pids=()
forward() { kill -s "$1" "${pids[@]}" 2>/dev/null || true; }
trap 'forward INT' INT
trap 'forward TERM' TERM
for ((r = 0; r < n; r++)); do
  RANK=$r WORLD_SIZE=$n LOCAL_RANK=$r LOCAL_WORLD_SIZE=$n MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$@" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do
  rc=0
  # wait returns early when a trapped signal arrives: wait again.
  while :; do
    wait "$p" && rc=0 || rc=$?
    kill -0 "$p" 2>/dev/null || break
  done
  [ $status -ne 0 ] || status=$rc
done
exit $status
