#!/usr/bin/env bash
# Data-parallel plif-train: ranks started as torchrun starts them (RANK,
# WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), Gloo on loopback, on the
# eval fixture's frames (DVS128 Gesture's network, 8 channels, 4 conv
# blocks, a tau per neuron, dropout 0.5, global batch 4).
#   - 2 ranks against 1 process, 3 steps: every /model tensor (parameters,
#     taus, running statistics) within 1e-5 of its scale (checkpoint_compare:
#     its largest entry, at least 0.1), Adam's moments
#     within 1e-4 (sums of gradients whose terms cancel show rounding more),
#     the same /log (loss, accuracies, taus) within 1e-5, and the checkpoint
#     of rank 0 with the single process's layout (h5ls -r);
#   - the 2-rank checkpoint resumed by 1 process continues as the 2 ranks do;
#   - faults: rank 1 killed inside an epoch, rank 0 killed (the store's
#     host), rank 1 stopped (SIGSTOP) past --dist-timeout: every other rank
#     exits 1 with one line naming the rank or the timeout, nothing
#     half-written; SIGINT to rank 1 alone stops both at one step (exit
#     130) with rank 0's checkpoint; a 2-rank run on a folder another
#     plif-train holds is refused.
# Usage: dist_train.sh BIN_DIR EVAL_FIXTURE CHECKPOINT_COMPARE SCRATCH
set -euo pipefail
bin=$(realpath "$1") fixture=$(realpath "$2") compare=$(realpath "$3") work=$4
here=$(dirname "$(realpath "$0")")
source "$here/fault_common.sh"
enter_scratch "$work"
frames=$fixture/frames.h5
net=(--data "$frames" -init_tau 2.0 -batch_size 4 -channels 8 -number_layer 4 -use_plif -tau_per_neuron
     -tau_std_dev 0.1 -use_max_pool -learning_rate 0.001 -seed 5 --threads 1 -q --tensorboard off)

# A port nobody listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || { echo $port; return; }
  done
}

# launch N PREFIX ARGS...: ranks 1..N-1 in the background, rank 0 here; each
# rank's stderr in PREFIX.<rank>.err; fails unless every rank exits 0.
launch() {
  local n=$1 prefix=$2 port pids=() rc=0
  shift 2
  port=$(free_port)
  for r in $(seq 1 $((n - 1))); do
    RANK=$r WORLD_SIZE=$n LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
      "$bin/plif-train" "$@" >/dev/null 2>"$prefix.$r.err" &
    pids+=($!)
  done
  RANK=0 WORLD_SIZE=$n LOCAL_RANK=0 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$bin/plif-train" "$@" >/dev/null 2>"$prefix.0.err" || rc=$?
  for p in "${pids[@]}"; do wait "$p" || rc=$?; done
  [ $rc -eq 0 ] || fail "$n ranks ($*): exit $rc: $(cat "$prefix".*.err)"
}

same_run() {  # same_run A.h5 B.h5 WHAT
  "$compare" "$1" "$2" 1e-5 1e-4 >compare.out || fail "$3: $(cat compare.out)"
  echo "$3: $(tail -1 compare.out)"
}

"$bin/plif-train" "${net[@]}" -max_epoch 2 --max_steps 3 -log_dir_prefix runs --name one >/dev/null
launch 2 two "${net[@]}" -max_epoch 2 --max_steps 3 -log_dir_prefix runs --name two
same_run runs/one/checkpoint.h5 runs/two/checkpoint.h5 "2 ranks against 1 process, 3 steps"
diff <(h5ls -r runs/one/checkpoint.h5) <(h5ls -r runs/two/checkpoint.h5) >/dev/null ||
  fail "rank 0's checkpoint has another layout than one process's"
[ "$(ls runs/two)" = "$(ls runs/one)" ] ||
  fail "the 2-rank run folder holds other files than the single process's: $(ls runs/two)"

# Resume: the 2-rank checkpoint goes on with 1 process as with 2 ranks.
mkdir copy && cp -r runs/two copy/two
launch 2 two_more "${net[@]}" -max_epoch 2 --max_steps 5 -log_dir_prefix runs --name two
"$bin/plif-train" "${net[@]}" -max_epoch 2 --max_steps 5 -log_dir_prefix copy --name two >/dev/null
same_run runs/two/checkpoint.h5 copy/two/checkpoint.h5 "the 2-rank checkpoint resumed by 1 process, 2 more steps"

# Faults. long ARGS: a run of many epochs.
long=("${net[@]}" -max_epoch 200 -log_dir_prefix runs --dist-timeout 3)
# start_pair NAME: both ranks in the background; pids in p0 and p1.
start_pair() {
  local port
  port=$(free_port)
  RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$bin/plif-train" "${long[@]}" --name $1 \
    >/dev/null 2>$1.0.err &
  p0=$!
  RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$bin/plif-train" "${long[@]}" --name $1 \
    >/dev/null 2>$1.1.err &
  p1=$!
  # Inside the training: the first epoch's files are written.
  for _ in $(seq 600); do [ -f runs/$1/metrics.csv ] && break; sleep 0.05; done
  sleep 0.3
}
# ends PID NAME RANK TEXT: PID exits 1 within 30 s with one line holding TEXT.
ends() {
  local pid=$1 name=$2 rank=$3 text=$4 rc=0
  for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  kill -0 $pid 2>/dev/null && { kill -9 $pid; fail "$name: rank $rank still runs 30 s later"; }
  wait $pid || rc=$?
  [ $rc -eq 1 ] && [ "$(wc -l <$name.$rank.err)" -eq 1 ] && grep -qF -- "$text" $name.$rank.err ||
    fail "$name: rank $rank: exit $rc, '$(cat $name.$rank.err)' (expected one line with '$text')"
  ls runs/$name | grep -q "tmp" && fail "$name: half-written files left: $(ls runs/$name)"
  echo "$name: rank $rank: $(cat $name.$rank.err)"
}
start_pair killed1
kill -9 $p1
ends $p0 killed1 0 "rank 1 (pid $p1) has exited"
start_pair killed0
kill -9 $p0
ends $p1 killed0 1 "rank 0 (the store's host) is unreachable"
start_pair hung
kill -STOP $p1
ends $p0 hung 0 "hung past the timeout (3 s)"
kill -9 $p1
start_pair stopped
kill -INT $p1
rc0=0 rc1=0
wait $p0 || rc0=$?
wait $p1 || rc1=$?
[ $rc0 -eq 130 ] && [ $rc1 -eq 130 ] && [ -s runs/stopped/checkpoint.h5 ] ||
  fail "SIGINT to rank 1: exits $rc0 and $rc1 (expected 130 each and rank 0's checkpoint)"
step0=$(grep -o "step [0-9]* of" stopped.0.err) step1=$(grep -o "step [0-9]* of" stopped.1.err)
[ "$step0" = "$step1" ] || fail "SIGINT to rank 1: the ranks stopped at '$step0' and '$step1'"
echo "SIGINT to rank 1: both ranks stopped at $step0, exit 130, rank 0's checkpoint written"

# A folder another plif-train holds: rank 0 is refused, rank 1 ends too.
"$bin/plif-train" "${long[@]}" --name held >/dev/null 2>&1 &
holder=$!
for _ in $(seq 600); do [ -f runs/held/metrics.csv ] && break; sleep 0.05; done
port=$(free_port) rc0=0 rc1=0
RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$bin/plif-train" "${long[@]}" --name held \
  >/dev/null 2>held.1.err &
p1=$!
RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port "$bin/plif-train" "${long[@]}" --name held \
  >/dev/null 2>held.0.err || rc0=$?
wait $p1 || rc1=$?
kill -0 $holder 2>/dev/null || fail "the holder of the folder died"
kill -INT $holder
wait $holder || true
[ $rc0 -eq 1 ] && grep -q "is in use by another process" held.0.err && [ $rc1 -ne 0 ] ||
  fail "2 ranks on a held folder: exits $rc0 and $rc1: $(cat held.0.err held.1.err)"
echo "2 ranks on a folder another plif-train holds: rank 0 refused ($(cat held.0.err)), rank 1 exit $rc1"
echo "dist_train: ok"
