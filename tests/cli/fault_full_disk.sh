#!/usr/bin/env bash
# Fault injection: a full disk, made with the file size limit (ulimit -f,
# RLIMIT_FSIZE), which works without privileges and on any file system. The
# tools ignore SIGXFSZ (tools/cli.cpp), so a write past the limit fails with
# EFBIG like a write to a full disk fails with ENOSPC. Every tool that
# writes must then exit 1 with one stderr line naming the file and the
# reason ("File too large"), leave no output and no temporary, and keep an
# older output it was replacing. plif-train, resumed after a good epoch with
# the limit in place, must leave its previous checkpoints unchanged and
# loadable, and continue normally once space is back.
# Usage: fault_full_disk.sh TOOLS_DIR SCRATCH
set -euo pipefail
tools=$(realpath "$1") work=$2
export PATH="$tools:$PATH"
source "$(dirname "$(realpath "$0")")/fault_common.sh"
enter_scratch "$work"
start=$SECONDS

# limited KB FRAGMENT COMMAND...: COMMAND under a file size limit of KB
# kilobytes exits 1 with one stderr line "tool: ..." holding FRAGMENT and
# "File too large". (stderr goes through a pipe: the limit applies to files.)
limited() {
  local kb=$1 fragment=$2
  shift 2
  set +e
  (
    ulimit -f "$kb"
    exec "$@" 2>&1 >/dev/null
  ) | cat >err.txt
  local rc=${PIPESTATUS[0]}
  set -e
  local tool
  tool=$(basename "$1")
  [ "$rc" != 153 ] || fail "$tool was killed by SIGXFSZ instead of reporting the write error"
  [ "$rc" = 1 ] || fail "$tool: exit $rc, expected 1; stderr: $(head -c 500 err.txt)"
  [ "$(wc -l <err.txt)" = 1 ] || fail "$tool: not one line on stderr: $(head -c 800 err.txt)"
  grep -q "^$tool: " err.txt || fail "$tool: no tool prefix: $(cat err.txt)"
  grep -qF -- "$fragment" err.txt || fail "$tool: expected '$fragment' in: $(cat err.txt)"
  grep -qF "File too large" err.txt || fail "$tool: expected the reason 'File too large' in: $(cat err.txt)"
  echo "  $(cat err.txt)"
}
no_temporaries() {
  ! find . -name '*.tmp-*' | grep -q . || fail "temporary files left: $(find . -name '*.tmp-*')"
}
kb_half() { echo $(($(stat -c %s "$1") / 2048)); }

dvs-synth --users 4 --lightings 2 --events_per_gesture 1500 --seed 7 -q data >/dev/null
aedat2frames data -o frames.h5 --T 4 -q >/dev/null

echo "aedat2frames"
limited "$(kb_half frames.h5)" "'out.h5.tmp-" aedat2frames data -o out.h5 --T 4 -q
[ ! -e out.h5 ] || fail "aedat2frames left 'out.h5'"
no_temporaries
# A finished output rebuilt (--force) without space stays as it was.
cp frames.h5 old.h5
limited "$(kb_half frames.h5)" "'old.h5.tmp-" aedat2frames data -o old.h5 --T 4 --force -q
cmp old.h5 frames.h5 || fail "the failed rebuild changed 'old.h5'"
no_temporaries

echo "plif-train"
common=(--data frames.h5 -init_tau 2.0 -use_plif -channels 4 -number_layer 4 -batch_size 8
        -seed 5 --threads 1 -log_dir_prefix runs --name run -q)
plif-train "${common[@]}" -max_epoch 1 >/dev/null
mkdir good
cp runs/run/checkpoint.h5 runs/run/checkpoint_max.h5 runs/run/metrics.csv good/
limited "$(kb_half good/checkpoint.h5)" "'runs/run/checkpoint" plif-train "${common[@]}" -max_epoch 3
for f in checkpoint.h5 checkpoint_max.h5 metrics.csv; do
  cmp "good/$f" "runs/run/$f" || fail "the failed epoch changed 'runs/run/$f'"
done
no_temporaries
h5ls -r runs/run/checkpoint.h5 >/dev/null || fail "h5ls cannot read the kept checkpoint"
tau-stats runs/run/checkpoint.h5 >/dev/null || fail "tau-stats cannot load the kept checkpoint"
plif-eval runs/run/checkpoint.h5 frames.h5 --threads 1 -q >/dev/null ||
  fail "plif-eval cannot load the kept checkpoint"
# With space again the run continues from the kept checkpoint.
plif-train "${common[@]}" -max_epoch 2 >/dev/null
epoch=$(h5dump -a /state/epoch runs/run/checkpoint.h5 | sed -n 's/.*(0): \([0-9-]*\).*/\1/p')
[ "$epoch" = 1 ] || fail "the run did not continue after the failed epoch (last epoch $epoch)"

echo "plif-eval, tau-stats, study-table, dvs-synth"
limited 0 "'eval.h5.tmp-" plif-eval good/checkpoint.h5 frames.h5 -o eval.h5 --threads 1 -q
limited 1 "'tau.h5.tmp-" tau-stats good/checkpoint.h5 -o tau.h5
limited 0 "cannot write 'table.md'" study-table a=good/metrics.csv -o table.md
limited 4 "cannot write 'synth/user01_fluorescent.aedat'" dvs-synth synth --users 2 --events_per_gesture 50 -q
for f in eval.h5 tau.h5 table.md; do [ ! -e "$f" ] || fail "'$f' was left behind"; done
[ -z "$(ls synth)" ] || fail "dvs-synth left files: $(ls synth)"
no_temporaries
echo "fault_full_disk: ok ($((SECONDS - start)) s)"
