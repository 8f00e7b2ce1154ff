# Sourced by the fault-injection scripts: a fresh scratch folder to work in,
# and the two helpers every one of them uses.

# enter_scratch DIR: empties DIR, makes it, and changes into it.
enter_scratch() {
  rm -rf "$1"
  mkdir -p "$1"
  cd "$1"
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
