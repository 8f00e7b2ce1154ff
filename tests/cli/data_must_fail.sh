#!/usr/bin/env bash
# Bad inputs: exit 1 (2 for usage), exactly one line on stderr naming the
# file, and no output file (or temporary) left behind.
source "$(dirname "$0")/data_common.sh"

"$synth" good --users 2 --lightings 1 --events_per_gesture 50 >/dev/null

# A fresh copy of the good folder to break: case NAME.
fresh() {
  rm -rf "$1"
  cp -r good "$1"
}

# must_fail CODE DIR PATTERN [aedat2frames options...]
must_fail() {
  local code=$1 dir=$2 pattern=$3
  shift 3
  set +e
  "$a2f" "$dir" -o out.h5 -q "$@" >stdout.txt 2>stderr.txt
  local rc=$?
  set -e
  [ $rc = "$code" ] || fail "$dir: exit $rc, expected $code; stderr: $(cat stderr.txt)"
  [ "$(wc -l <stderr.txt)" = 1 ] || [ "$code" = 2 ] || fail "$dir: not one line: $(cat stderr.txt)"
  head -1 stderr.txt | grep -q '^aedat2frames: ' || fail "$dir: no tool prefix: $(cat stderr.txt)"
  grep -qF -- "$pattern" stderr.txt || fail "$dir: expected '$pattern' in: $(cat stderr.txt)"
  [ ! -e out.h5 ] || fail "$dir: output left behind"
  ! ls | grep -q 'tmp-' || fail "$dir: temporary file left behind"
}

# Little-endian u32 as printf escapes.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# An AEDAT 3.1 file with one polarity packet of the given (data, timestamp) pairs.
aedat() {
  local out=$1
  shift
  local n=$(($# / 2)) body=""
  while [ $# -gt 0 ]; do
    body+=$(le32 "$1")$(le32 "$2")
    shift 2
  done
  printf '#!AER-DAT3.1\r\n#!END-HEADER\r\n' >"$out"
  printf "\\x01\\x00\\x01\\x00$(le32 8)$(le32 4)$(le32 0)$(le32 $n)$(le32 $n)$(le32 $n)$body" >>"$out"
}
word() { echo $(($1 << 17 | $2 << 2 | $3 << 1 | 1)); }

must_fail 1 nowhere "dataset folder 'nowhere' does not exist"

fresh no_test && rm no_test/trials_to_test.txt
must_fail 1 no_test "trials list 'no_test/trials_to_test.txt' does not exist"

fresh missing && echo user07_lab.aedat >>missing/trials_to_train.txt
must_fail 1 missing "bad trials list 'missing/trials_to_train.txt' line 2: recording 'missing/user07_lab.aedat' does not exist"

fresh class && echo "12,100,200" >>class/user01_fluorescent_labels.csv
must_fail 1 class "bad labels file 'class/user01_fluorescent_labels.csv' line 13: class 12 outside 1..11"

fresh row && echo "3,100" >>row/user02_fluorescent_labels.csv
must_fail 1 row "'row/user02_fluorescent_labels.csv' line 13: expected 3 fields"

fresh number && echo "3,1e5,200" >>number/user01_fluorescent_labels.csv
must_fail 1 number "line 13: '1e5' is not a valid startTime_usec"

fresh order && echo "3,300,200" >>order/user01_fluorescent_labels.csv
must_fail 1 order "line 13: endTime_usec 200 before startTime_usec 300"

fresh v2 && printf '#!AER-DAT2.0\r\n#!END-HEADER\r\n' >v2/user02_fluorescent.aedat
must_fail 1 v2 "cannot decode 'v2/user02_fluorescent.aedat' at byte 0: AEDAT 2.0 file, only 3.1 is supported"

fresh v4 && printf '#!AER-DAT4.0\r\n' >v4/user01_fluorescent.aedat
must_fail 1 v4 "AEDAT 4.0 file, only 3.1 is supported"

fresh noend && printf '#!AER-DAT3.1\r\n#Format: RAW\r\n' >noend/user01_fluorescent.aedat
must_fail 1 noend "'noend/user01_fluorescent.aedat' at byte 28: the file ends inside the header"

fresh cut && truncate -s -5 cut/user01_fluorescent.aedat
must_fail 1 cut "cannot decode 'cut/user01_fluorescent.aedat' at byte"
expect_in "$(cat stderr.txt)" "truncated packet" "truncated file"

fresh outside && aedat outside/user01_fluorescent.aedat "$(word 3 4 1)" 10 "$(word 130 4 1)" 11
# 28 header bytes + 28 packet header bytes + the first 8-byte event = byte 64.
must_fail 1 outside "'outside/user01_fluorescent.aedat' at byte 64: event at x=130, y=4 is outside the 128x128 sensor"

fresh back && aedat back/user01_fluorescent.aedat "$(word 3 4 1)" 10 "$(word 3 4 0)" 9
must_fail 1 back "'back/user01_fluorescent.aedat' at byte 64: time goes backwards: event at 9 us after one at 10 us"

# Usage errors: exit 2.
must_fail 2 good "unknown normalization 'l2'" --normalization l2
must_fail 2 good "unknown split_by 'count'" --split_by count
must_fail 2 good "T must be at least 1" --T 0
must_fail 2 good "--jobs must be >= 0" --jobs -1
must_fail 2 good "--help lists the options" --frames 20
set +e
"$a2f" good >/dev/null 2>stderr.txt
rc=$?
"$synth" x --users 1 >/dev/null 2>synth_err.txt
synth_rc=$?
set -e
[ $rc = 2 ] && grep -qF "missing -o FRAMES.h5" stderr.txt || fail "missing -o: $rc $(cat stderr.txt)"
[ $synth_rc = 2 ] && grep -qF "dvs-synth: --users must be in 2..99" synth_err.txt || fail "dvs-synth --users 1"

# A good conversion next to the failures still works.
"$a2f" good -o out.h5 -q >/dev/null
[ -e out.h5 ] || fail "good folder did not convert"
echo "data_must_fail: ok"
