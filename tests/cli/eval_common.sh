# Shared by the evaluation command-line tests: a scratch folder, reading HDF5
# values with h5dump, and assertions. Sourced, not run.
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_in TEXT PATTERN WHAT: TEXT contains the fixed string PATTERN.
expect_in() {
  grep -qF -- "$2" <<<"$1" || fail "$3: expected '$2' in: $1"
}

# values FILE DATASET: the dataset's values one per line, row-major; floats
# with 17 significant digits, so equal text means equal numbers.
values() {
  h5dump -m %.17g -d "$2" -y -w 0 "$1" | sed -n '/^ *DATA {/,/^ *}/p' | sed '1d;$d' | tr ',' '\n' |
    sed 's/^ *//; s/"//g' | grep -v '^$'
}

# attr FILE PATH: a scalar attribute's value (floats as in values).
attr() {
  h5dump -m %.17g -a "$2" -y -w 0 "$1" | sed -n '/^ *DATA {/,/^ *}/p' | sed '1d;$d' | sed 's/^ *//; s/"//g'
}

# near A B TOLERANCE: |A - B| <= TOLERANCE.
near() {
  awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

# must_fail CODE PATTERN COMMAND...: exit CODE, one line on stderr holding PATTERN.
must_fail() {
  local code=$1 pattern=$2
  shift 2
  set +e
  "$@" >stdout.txt 2>stderr.txt
  local rc=$?
  set -e
  [ $rc = "$code" ] || fail "$*: exit $rc, expected $code; stderr: $(cat stderr.txt)"
  [ "$(wc -l <stderr.txt)" = 1 ] || [ "$code" = 2 ] || fail "$*: not one line: $(cat stderr.txt)"
  grep -qF -- "$pattern" stderr.txt || fail "$*: expected '$pattern' in: $(cat stderr.txt)"
  [ ! -s stdout.txt ] || fail "$*: wrote to stdout: $(head -3 stdout.txt)"
}

# png_size FILE: "WIDTH HEIGHT" from the PNG signature and IHDR chunk.
png_size() {
  local sig
  sig=$(od -An -tx1 -N8 "$1" | tr -d ' \n')
  [ "$sig" = 89504e470d0a1a0a ] || fail "'$1' is not a PNG (signature $sig)"
  od -An -tu1 -j16 -N8 "$1" |
    awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
}
