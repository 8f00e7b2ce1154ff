#!/usr/bin/env bash
# Fault injection: aedat2frames killed with SIGKILL at seeded random points
# of a conversion that takes about a second or two. After every kill the
# final output name either does not exist or holds a complete file (the
# uninterrupted conversion's bytes), and a rerun writes exactly the bytes of
# the uninterrupted conversion. One kill hits a --force rebuild over a
# finished file, which must survive intact. SIGKILL cannot be caught, so the
# killed process's temporary (out.h5.tmp-PID) may stay; it must not be
# mistaken for the output and must not disturb the rerun.
# Usage: fault_kill_frames.sh DVS_SYNTH AEDAT2FRAMES FRAMES_CHECK SCRATCH [SEED] [KILLS]
set -euo pipefail
synth=$(realpath "$1") convert=$(realpath "$2") check=$(realpath "$3") work=$4 seed=${5:-7} kills=${6:-5}
source "$(dirname "$(realpath "$0")")/fault_common.sh"
enter_scratch "$work"
start=$SECONDS

# 100 recordings, 1100 samples; float frames make the writing side heavy.
"$synth" --users 20 --lightings 5 --events_per_gesture 3000 --seed 3 -q data >/dev/null
args=(data --T 16 --normalization frequency --jobs 1 -q)

t0=$(now_ms)
"$convert" "${args[@]}" -o ref.h5 >/dev/null
duration=$(($(now_ms) - t0))
"$check" ref.h5 >ref.txt
echo "uninterrupted conversion: $duration ms, $(stat -c %s ref.h5) bytes"

# Kill i at a random point of the i-th of KILLS equal parts of the first 90 %
# of the duration.
RANDOM=$seed
for ((i = 0; i < kills; i++)); do
  delay=$((duration * 9 * i / (10 * kills) + RANDOM % (duration * 9 / (10 * kills) + 1)))
  force=()
  if [ "$i" -eq $((kills / 2)) ]; then
    cp ref.h5 out.h5  # a finished output, rebuilt with --force
    force=(--force)
  fi
  "$convert" "${args[@]}" -o out.h5 "${force[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null && state="had finished" || state="killed"
  if [ -e out.h5 ]; then
    cmp -s out.h5 ref.h5 || fail "kill $i at $delay ms ($state): 'out.h5' exists but is not the complete output"
    h5ls out.h5 >/dev/null || fail "kill $i: h5ls cannot read 'out.h5'"
    "$check" out.h5 | cmp -s - ref.txt || fail "kill $i: frames_check reads another 'out.h5'"
    found="a complete out.h5"
  else
    found="no out.h5"
  fi
  temps=$(find . -maxdepth 1 -name 'out.h5.tmp-*' | wc -l)
  echo "kill $i at $delay ms ($state): $found, $temps temporary file(s)"
  [ "$temps" -le 1 ] || fail "kill $i: more than one temporary: $(ls out.h5.tmp-*)"
  # The rerun ignores the stale temporary and writes the same bytes.
  "$convert" "${args[@]}" -o out.h5 >/dev/null
  cmp out.h5 ref.h5 || fail "kill $i: the rerun wrote other bytes than the uninterrupted conversion"
  rm -f out.h5 out.h5.tmp-*
done
echo "fault_kill_frames: ok ($kills kills, $((SECONDS - start)) s)"
cd / && rm -rf "$work"  # 70 MB; kept when a check fails
