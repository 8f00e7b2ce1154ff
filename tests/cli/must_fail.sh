#!/usr/bin/env bash
# The must-fail table of every tool (tests/cli/must_fail.table): each row is
# a bad invocation that must
#   - exit with the row's code (1: bad data or I/O, 2: bad options),
#   - print exactly one line on stderr (plus at most one "hint: " line),
#     prefixed with the tool's name and holding the row's fragment, which
#     names the file and the problem,
#   - print nothing on stdout,
#   - leave no output file and no temporary (*.tmp-*) behind, and change
#     nothing among the prepared inputs.
# The inputs are made once, small, in SCRATCH/in: synthetic datasets and
# broken copies of them, frames files (T 4, T 6, other normalisation, other
# size, other class count, truncated, corrupted), a checkpoint of a tiny run
# (T 4, 4 channels, 4 layers, 1 epoch, 2 steps) and broken copies.
#
# Row flags: "unreadable" rows rely on chmod 000 and are skipped (with a
# note) when the files stay readable, as they do for root; "no_gpu" rows are
# skipped when a GPU is visible; "known: REASON" rows document a failure
# still to fix: they report XFAIL while they fail and fail the test once they
# pass (remove the mark then).
#
# Usage: must_fail.sh TABLE TOOLS_DIR FRAMES_FORGE SCRATCH [ID_PATTERN]
#   TOOLS_DIR holds dvs-synth, aedat2frames, plif-train, plif-eval, tau-stats
#   and study-table; ID_PATTERN (a shell glob) runs only the matching rows.
#   Environment: MUST_FAIL_JOBS rows at a time (2); MUST_FAIL_VERBOSE=1
#   prints every passing row's stderr line; MUST_FAIL_TIMES=1 each row's time.
set -euo pipefail
table=$(realpath "$1") tools=$(realpath "$2") forge=$(realpath "$3") work=$4 only=${5:-*}
export PATH="$tools:$PATH"
if [ -d "$work" ]; then chmod -R u+rwX "$work" && rm -rf "$work"; fi
mkdir -p "$work/in" "$work/rows"
work=$(realpath "$work")
in=$work/in
trap 'chmod -R u+rwX "$in" 2>/dev/null || true' EXIT  # so that the folder can be removed
start=$SECONDS

# --- inputs ---------------------------------------------------------------
cd "$in"
dvs-synth --users 2 --lightings 1 --events_per_gesture 50 -q good >/dev/null
aedat2frames good -o frames.h5 --T 4 -q >/dev/null
aedat2frames good -o frames_t6.h5 --T 6 -q >/dev/null
aedat2frames good -o frames_freq.h5 --T 4 --normalization frequency -q >/dev/null
"$forge" frames.h5 frames_64.h5 64 64 11
"$forge" frames.h5 frames_12c.h5 128 128 12
# The options of a tiny run; rows use them as $SMALL.
export SMALL="-init_tau 2.0 -use_plif -channels 4 -number_layer 4 -max_epoch 1 --max_steps 2 -batch_size 4 --threads 1 -q"
# shellcheck disable=SC2086
plif-train --data frames.h5 $SMALL -log_dir_prefix runs --name ok >/dev/null
cp runs/ok/checkpoint.h5 ckpt.h5
plif-eval ckpt.h5 frames.h5 -o eval.h5 -q >/dev/null

# half of a file; a copy with 4000 bytes in the middle overwritten.
truncated() { head -c $(($(stat -c %s "$1") / 2)) "$1" >"$2"; }
corrupted() {
  cp "$1" "$2"
  head -c 4000 /dev/zero | tr '\0' 'X' |
    dd of="$2" bs=1 seek=$(($(stat -c %s "$1") / 2 - 2000)) conv=notrunc status=none
}
truncated frames.h5 frames_trunc.h5
corrupted frames.h5 frames_corrupt.h5
truncated ckpt.h5 ckpt_trunc.h5
corrupted ckpt.h5 ckpt_corrupt.h5
# Run folders to resume from: a truncated checkpoint, a frames file, and one
# copy of the tiny run per row that resumes it with other settings (rows run
# concurrently and each takes its run folder's lock).
mkdir -p runs/trunc runs/wrong_kind
for name in resume_t resume_size resume_classes resume_norm; do cp -r runs/ok "runs/$name"; done
cp ckpt_trunc.h5 runs/trunc/checkpoint.h5
cp frames.h5 runs/wrong_kind/checkpoint.h5
cp runs/ok/metrics.csv metrics.csv
{ head -1 metrics.csv; sed -n 2p metrics.csv | awk -F, -v OFS=, '{ $2 = "abc"; print }'; } >metrics_bad.csv
head -1 metrics.csv >metrics_empty.csv
# An event file of the tiny run with one byte of its last record's data changed.
events=$(ls runs/ok/events.out.tfevents.* | head -1)
cp "$events" events_damaged
at=$(($(stat -c %s events_damaged) - 6))
byte=$(od -An -tu1 -j "$at" -N1 events_damaged | tr -d ' ')
printf "\\x$(printf %02x $((byte ^ 1)))" | dd of=events_damaged bs=1 seek="$at" conv=notrunc status=none

# Broken copies of the dataset: fresh NAME.
fresh() {
  rm -rf "$1"
  cp -r good "$1"
}
# Little-endian u32 as printf escapes.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# aedat FILE EVENT_SIZE DATA TIME ...: an AEDAT 3.1 file with one polarity
# packet of the given (data, timestamp) pairs, each padded to EVENT_SIZE bytes.
aedat() {
  local out=$1 size=$2
  shift 2
  local n=$(($# / 2)) body="" pad="" i
  for ((i = 8; i < size; i++)); do pad+='\x00'; done
  while [ $# -gt 0 ]; do
    body+=$(le32 "$1")$(le32 "$2")$pad
    shift 2
  done
  printf '#!AER-DAT3.1\r\n#!END-HEADER\r\n' >"$out"
  printf "\\x01\\x00\\x01\\x00$(le32 "$size")$(le32 4)$(le32 0)$(le32 $n)$(le32 $n)$(le32 $n)$body" >>"$out"
}
word() { echo $(($1 << 17 | $2 << 2 | $3 << 1 | 1)); }
rec=user01_fluorescent
labels=user01_fluorescent_labels.csv

fresh no_test && rm no_test/trials_to_test.txt
fresh missing && echo user07_lab.aedat >>missing/trials_to_train.txt
fresh both && cat both/trials_to_test.txt >>both/trials_to_train.txt
fresh empty_list && : >empty_list/trials_to_train.txt
fresh v2 && printf '#!AER-DAT2.0\r\n#!END-HEADER\r\n' >v2/$rec.aedat
fresh v4 && printf '#!AER-DAT4.0\r\n' >v4/$rec.aedat
fresh not_aedat && printf 'hello\n' >not_aedat/$rec.aedat
fresh noend && printf '#!AER-DAT3.1\r\n#Format: RAW\r\n' >noend/$rec.aedat
fresh cut && truncate -s -5 cut/$rec.aedat
# 28 header bytes and 10 of a 28-byte packet header.
fresh cut_header && aedat cut_header/$rec.aedat 8 "$(word 3 4 1)" 10 && truncate -s 38 cut_header/$rec.aedat
fresh event_size && aedat event_size/$rec.aedat 12 "$(word 3 4 1)" 10 "$(word 5 4 1)" 11
fresh outside && aedat outside/$rec.aedat 8 "$(word 3 4 1)" 10 "$(word 130 4 1)" 11
fresh back && aedat back/$rec.aedat 8 "$(word 3 4 1)" 10 "$(word 3 4 0)" 9
fresh labels_header && sed -i '1s/.*/class,start,end/' labels_header/$labels
fresh labels_fields && echo "3,100" >>labels_fields/$labels
fresh labels_number && echo "3,1e5,200" >>labels_number/$labels
fresh labels_class0 && echo "0,100,200" >>labels_class0/$labels
fresh labels_class12 && echo "12,100,200" >>labels_class12/$labels
fresh labels_order && echo "3,300,200" >>labels_order/$labels
fresh labels_empty && : >labels_empty/$labels
fresh no_labels && rm no_labels/$labels

# The one-file-per-sample datasets: small synthetic sets and broken copies.
dvs-synth --dataset NMNIST --samples_per_class 1 --events_per_sample 40 -q nm >/dev/null
dvs-synth --dataset CIFAR10DVS --samples_per_class 1 --events_per_sample 40 -q c10 >/dev/null
dvs-synth --dataset ASLDVS --samples_per_class 1 --events_per_sample 40 -q asl >/dev/null
copy() { rm -rf "$2" && cp -r "$1" "$2"; }
copy nm nm_cut && truncate -s -2 nm_cut/Train/0/00001.bin
# x = 34, at the latest time the 23 bits hold (so only the place is wrong).
copy nm nm_outside && printf '\x22\x05\x7f\xff\xff' >>nm_outside/Train/0/00001.bin
copy nm nm_class && mkdir nm_class/Train/ten
copy nm nm_no_test && rm -r nm_no_test/Test
mkdir -p nm_empty/Train/0 nm_empty/Test/0
copy c10 c10_odd && printf 'abc' >>c10_odd/airplane/cifar10_airplane_0.aedat
copy c10 c10_v3 && printf '#!AER-DAT3.1\r\n' >c10_v3/bird/cifar10_bird_0.aedat
copy c10 c10_class && mkdir c10_class/plane
# The name "pol" is stored as plain bytes in an uncompressed MAT-file.
copy asl asl_no_pol && sed -i 's/pol/pxl/' asl_no_pol/a/a_0001.mat
copy asl asl_not_mat && printf 'not a MAT-file\n' >asl_not_mat/b/b_0001.mat

# The image datasets: small synthetic sets (MNIST under img/MNIST/raw,
# CIFAR-10 in both versions under img/) and broken copies.
dvs-synth --dataset MNIST --samples_per_class 2 --test_per_class 1 -q img >/dev/null
dvs-synth --dataset CIFAR10 --samples_per_class 1 --test_per_class 1 -q img >/dev/null
# Plain files are read before their .gz copies, so the plain ones are broken.
copy img/MNIST mn_magic && printf '\x00\x00\x08\x02' | dd of=mn_magic/raw/train-images-idx3-ubyte conv=notrunc status=none
# 10 test labels for the 20 train images.
copy img/MNIST mn_count && cp mn_count/raw/t10k-labels-idx1-ubyte mn_count/raw/train-labels-idx1-ubyte
copy img/MNIST mn_label && printf '\x0c' | dd of=mn_label/raw/train-labels-idx1-ubyte bs=1 seek=8 conv=notrunc status=none
copy img/MNIST mn_cut && truncate -s -3 mn_cut/raw/t10k-images-idx3-ubyte
# A pickle of a list (PROTO 2, EMPTY_LIST, BINPUT 1, STOP), not of CIFAR-10's dict.
copy img/cifar-10-batches-py c_pickle && printf '\x80\x02]q\x01.' >c_pickle/data_batch_3

# chmod 000 copies; root reads them anyway (see the "unreadable" flag).
fresh locked_dir && chmod 000 locked_dir
fresh locked_rec && chmod 000 locked_rec/$rec.aedat
fresh locked_labels && chmod 000 locked_labels/$labels
cp frames.h5 locked_frames.h5 && chmod 000 locked_frames.h5
cp ckpt.h5 locked_ckpt.h5 && chmod 000 locked_ckpt.h5
cp metrics.csv locked_metrics.csv && chmod 000 locked_metrics.csv
chmod_blocks=true
if head -c 1 locked_frames.h5 >/dev/null 2>&1; then chmod_blocks=false; fi
gpu=false
if command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then gpu=true; fi

# Fingerprint of the inputs: a row must change nothing here.
# (Folder times are left out: a temporary made and removed again changes them.)
inputs_state() {
  { find "$in" \( -type d -printf '%P %y %m\n' \) -o -printf '%P %y %s %m %T@\n' 2>/dev/null || true; } | sort
}
inputs_state >"$work/inputs.before"
echo "inputs prepared in $((SECONDS - start)) s"

# --- rows -----------------------------------------------------------------
trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}

# contains_in_order TEXT FRAGMENT: FRAGMENT's pieces, split at "...", occur
# in TEXT in this order.
contains_in_order() {
  local rest=$1 fragment=$2 piece
  while :; do
    piece=${fragment%%...*}
    [[ $rest == *"$piece"* ]] || return 1
    rest=${rest#*"$piece"}
    [ "$piece" != "$fragment" ] || return 0
    fragment=${fragment#*...}
  done
}

# check_row ID CODE FRAGMENT COMMAND: runs the row in its own folder (holding
# only the link "in" to the inputs); writes the first problem, if any, to
# results/ID.problem and the time taken to results/ID.ms.
check_row() {
  local id=$1 code=$2 fragment=$3 command=$4
  local dir=$work/rows/$id out=$work/results/$id
  local t0 got err problem=""
  t0=$(date +%s%N)
  mkdir -p "$dir"
  ln -s "$in" "$dir/in"
  set +e
  (cd "$dir" && eval "$command") >"$out.stdout" 2>"$out.stderr" </dev/null
  got=$?
  set -e
  # The tool: the first word after any VAR=value assignments (a launcher's environment).
  local tool=$command hints
  while [[ $tool =~ ^[A-Z_]+=[^\ ]*\ (.*)$ ]]; do tool=${BASH_REMATCH[1]}; done
  tool=${tool%% *}
  err=$(grep -av '^hint: ' "$out.stderr" || true)
  hints=$(grep -ac '^hint: ' "$out.stderr" || true)
  if [ "$got" != "$code" ]; then
    problem="exit $got, expected $code; stderr: $(head -c 600 "$out.stderr")"
  elif [ "$(wc -l <"$out.stderr")" -ne $((hints + 1)) ] || [ "$hints" -gt 1 ] || [ -z "$err" ]; then
    problem="stderr is not one line: $(head -c 600 "$out.stderr")"
  elif [[ $err != "$tool: "* ]]; then
    problem="stderr does not start with '$tool: ': $err"
  elif ! contains_in_order "$err" "$fragment"; then
    problem="expected '$fragment' in: $err"
  elif [ -s "$out.stdout" ]; then
    problem="wrote to stdout: $(head -c 300 "$out.stdout")"
  elif (cd "$dir" && find . -mindepth 1 ! -name in ! -type d | grep -q .); then
    problem="left behind: $(cd "$dir" && find . -mindepth 1 ! -name in ! -type d | head -5 | tr '\n' ' ')"
  elif find "$in" -name '*.tmp-*' 2>/dev/null | grep -q .; then
    problem="left a temporary among the inputs: $(find "$in" -name '*.tmp-*' 2>/dev/null | head -3)"
  elif ! inputs_state | cmp -s - "$work/inputs.before"; then
    problem="changed the inputs: $(inputs_state | diff - "$work/inputs.before" | head -4 | tr '\n' ' ')"
  fi
  if (cd "$dir" && find . -mindepth 1 -type d | grep -q .); then touch "$out.empty_folders"; fi
  rm -rf "$dir"
  printf '%s' "$problem" >"$out.problem"
  echo $((($(date +%s%N) - t0) / 1000000)) >"$out.ms"
}

# Read the table: five fields, unique ids.
ids=() codes=() flagss=() fragments=() commands=()
failures=0
declare -A seen
while IFS= read -r line || [ -n "$line" ]; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  IFS='|' read -r id code flags fragment command <<<"$line"
  id=$(trim "$id") code=$(trim "$code") flags=$(trim "$flags")
  fragment=$(trim "$fragment") command=$(trim "$command")
  if [ -z "$command" ] || [[ ! $code =~ ^[0-9]+$ ]] || [ -n "${seen[$id]:-}" ]; then
    echo "FAIL: bad table row (id | code | flags | fragment | command, unique id): $line"
    failures=$((failures + 1))
    continue
  fi
  seen[$id]=1
  ids+=("$id") codes+=("$code") flagss+=("$flags") fragments+=("$fragment") commands+=("$command")
done <"$table"

# Run the selected rows, MUST_FAIL_JOBS (default 2) at a time.
mkdir -p "$work/results"
jobs=${MUST_FAIL_JOBS:-2} running=0
declare -A skip
for i in "${!ids[@]}"; do
  id=${ids[$i]} flags=${flagss[$i]}
  # shellcheck disable=SC2053
  if [[ $id != $only ]]; then
    skip[$id]="not selected"
  elif [[ $flags == *unreadable* ]] && ! $chmod_blocks; then
    skip[$id]="chmod 000 does not stop reads here (running as root)"
  elif [[ $flags == *no_gpu* ]] && $gpu; then
    skip[$id]="a GPU is visible, so CUDA may be available"
  else
    if [ "$running" -ge "$jobs" ]; then
      wait -n || true
      running=$((running - 1))
    fi
    check_row "$id" "${codes[$i]}" "${fragments[$i]}" "${commands[$i]}" &
    running=$((running + 1))
  fi
done
wait

passed=0 skipped=0 xfailed=0 empty_folders=""
for i in "${!ids[@]}"; do
  id=${ids[$i]} flags=${flagss[$i]} result=$work/results/${ids[$i]}
  if [ -n "${skip[$id]:-}" ]; then
    [ "${skip[$id]}" = "not selected" ] || echo "SKIP $id: ${skip[$id]}"
    skipped=$((skipped + 1))
    continue
  fi
  [ -z "${MUST_FAIL_TIMES:-}" ] || echo "time $id $(cat "$result.ms") ms"
  [ ! -e "$result.empty_folders" ] || empty_folders+=" $id"
  problem=$(cat "$result.problem")
  if [[ $flags == *known:* ]]; then
    if [ -n "$problem" ]; then
      echo "XFAIL $id (${flags#*known: }): $problem"
      xfailed=$((xfailed + 1))
    else
      echo "FAIL: $id now passes; remove its known mark (${flags#*known: })"
      failures=$((failures + 1))
    fi
  elif [ -n "$problem" ]; then
    echo "FAIL: $id: ${commands[$i]}"
    echo "      $problem"
    failures=$((failures + 1))
  else
    passed=$((passed + 1))
    [ -z "${MUST_FAIL_VERBOSE:-}" ] || echo "ok $id: $(grep -av '^hint: ' "$result.stderr")"
  fi
done

# Empty folders are tolerated (no file that make could take for finished
# work), but named, so that they are not forgotten.
[ -z "$empty_folders" ] || echo "note: rows that left only empty folders:$empty_folders"
echo "must_fail: ${#ids[@]} rows: $passed passed, $skipped skipped, $xfailed known failures," \
  "$failures failed ($((SECONDS - start)) s)"
[ "$failures" -eq 0 ]
