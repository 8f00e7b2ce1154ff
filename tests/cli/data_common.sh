# Shared by the data-stage command-line tests: arguments, a scratch folder and
# small assertion helpers. Sourced, not run.
#   $1 dvs-synth  $2 aedat2frames  $3 frames_check  $4 scratch folder
set -euo pipefail
synth=$1
a2f=$2
check=$3
work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_in TEXT PATTERN WHAT: TEXT contains the fixed string PATTERN.
expect_in() {
  grep -qF -- "$2" <<<"$1" || fail "$3: expected '$2' in: $1"
}
