#!/usr/bin/env bash
# The Slurm scripts for real: a single-node Slurm (munged, slurmctld, slurmd)
# configured in a temporary folder on this machine, a two-run grid of a few
# steps submitted with pipelines/slurm/submit.sh with TASKS_PER_NODE=2 (each
# run trained by two data-parallel ranks started by srun), every run's
# outputs and the combined table checked. The daemons started here are
# stopped on exit.
# Usage: slurm_e2e.sh REPO_ROOT TOOLS_DIR
set -euo pipefail
root=$1 bin=$2
for daemon in munged slurmctld slurmd; do
  command -v "$daemon" >/dev/null || [ -x "/usr/sbin/$daemon" ] || {
    echo "FAIL: $daemon is not installed (scripts/install-deps.sh installs it)"; exit 1; }
done
export PATH=$PATH:/usr/sbin
work=$(mktemp -d)
cd "$work"
mkdir -p state spool log munge
chmod 700 munge

stop() {
  [ -f slurmd.pid ] && kill "$(cat slurmd.pid)" 2>/dev/null || true
  [ -f slurmctld.pid ] && kill "$(cat slurmctld.pid)" 2>/dev/null || true
  munged --stop --socket="$work/munge/sock" >/dev/null 2>&1 || true
  sleep 1
  rm -rf "$work"
}
trap stop EXIT

dd if=/dev/urandom of=munge/munge.key bs=1024 count=1 2>/dev/null
chmod 600 munge/munge.key
munged -f --socket="$work/munge/sock" --key-file="$work/munge/munge.key" \
  --log-file="$work/log/munged.log" --pid-file="$work/munge/pid" --seed-file="$work/munge/seed"

host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
cat > slurm.conf <<CONF
ClusterName=plifkit-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/sock
CredType=cred/munge
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -c
slurmd
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q -E '^idle' && break
  sleep 1
done
sinfo -h -o %T | grep -q -E '^idle' || { echo "FAIL: the Slurm node did not come up"; tail log/*.log; exit 1; }

"$bin/dvs-synth" --users 6 --lightings 2 --events_per_gesture 1500 -q data >/dev/null
"$bin/aedat2frames" data -o frames.h5 --T 4 -q >/dev/null

export BIN=$bin REG_LAMBDAS="0 0.1" TAU_STD_DEVS=0.1 INIT_TAUS=2.0 SEEDS=1 EPOCHS=1 \
       CHANNELS=4 LAYERS=4 THREADS=1 TRAIN_EXTRA="--max_steps 2 -batch_size 8"
# Each run over two data-parallel ranks: one per Slurm task, started by srun
# inside the array task's job (the two runs then take turns on the 2 CPUs).
ids=$(TASKS_PER_NODE=2 "$root/pipelines/slurm/submit.sh" frames.h5 out --cpus-per-task=1)
echo "$ids"
for _ in $(seq 300); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h)" ] || { echo "FAIL: jobs still queued"; squeue; exit 1; }

for run in lambda0_std0.1_tau2.0_seed1 lambda0.1_std0.1_tau2.0_seed1; do
  for f in "runs/$run/checkpoint.h5" "runs/$run/checkpoint_max.h5" "runs/$run/metrics.csv" \
           "eval/${run}_best.h5" "eval/${run}_latest.h5"; do
    [ -s "out/$f" ] || { echo "FAIL: out/$f missing"; cat out/*.out; exit 1; }
  done
done
grep -q '^| lambda0_std0.1_tau2.0 | 1 |' out/sweep.md || { echo "FAIL: table"; cat out/sweep.md out/*.out; exit 1; }
grep -q '^| lambda0.1_std0.1_tau2.0 | 1 |' out/sweep.md || { echo "FAIL: table"; cat out/sweep.md; exit 1; }
cat out/sweep.md
for run in lambda0_std0.1_tau2.0_seed1 lambda0.1_std0.1_tau2.0_seed1; do
  grep -q "^ranks 2 (data-parallel, started by srun)" out/runs/$run/summary.txt ||
    { echo "FAIL: $run did not train over 2 ranks"; cat out/*.out out/runs/$run/summary.txt; exit 1; }
done
echo "TASKS_PER_NODE=2: $(tail -1 out/runs/lambda0.1_std0.1_tau2.0_seed1/summary.txt)"
echo PASS
