#!/usr/bin/env bash
# Two builds of bench_train_step, interleaved in one run on the same machine
# (a change to a hot path against the build before it). Per round and build:
# one process with 1 timed step and one with STEPS, under /usr/bin/time;
# the difference of the two gives the minor page faults and system seconds
# of a steady step whatever the binary reports itself. Prints one line per
# process and the medians per build.
#   bench/ab_train_step.sh OLD_BIN NEW_BIN [ROUNDS [STEPS]] -- [bench_train_step options]
set -euo pipefail
[ -x /usr/bin/time ] || { echo "ab_train_step.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
old=$1 new=$2
shift 2
rounds=3 steps=4
[ $# -gt 0 ] && [ "$1" != "--" ] && { rounds=$1; shift; }
[ $# -gt 0 ] && [ "$1" != "--" ] && { steps=$1; shift; }
[ "${1:-}" = "--" ] && shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
measure() {  # label binary steps [options]
  local label=$1 bin=$2 n=$3 out
  shift 3
  out=$(/usr/bin/time -f "time_minflt %R time_sys_s %S time_maxrss_kb %M" "$bin" --steps "$n" "$@" 2>&1)
  printf '%s steps %s %s\n' "$label" "$n" "$(tr '\n' ' ' <<<"$out")" | tee -a "$log"
}
for ((r = 1; r <= rounds; ++r)); do
  for label in old new; do
    bin=$old
    [ $label = new ] && bin=$new
    measure $label "$bin" 1 "$@"
    measure $label "$bin" "$steps" "$@"
  done
done
awk -v steps="$steps" '
  function field(name,   i) { for (i = 1; i < NF; ++i) if ($i == name) return $(i + 1); return "" }
  function median(arr, n,   i, j, t) {
    for (i = 1; i <= n; ++i) for (j = i + 1; j <= n; ++j) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  {
    b = $1
    if ($3 == 1) { f1[b] = field("time_minflt"); s1[b] = field("time_sys_s"); next }
    n[b]++
    step[b, n[b]] = field("step_median_s")
    rss[b, n[b]] = field("time_maxrss_kb") / 1024
    flt[b, n[b]] = (field("time_minflt") - f1[b]) / (steps - 1)
    sys[b, n[b]] = (field("time_sys_s") - s1[b]) / (steps - 1)
  }
  END {
    for (b in n) {
      for (i = 1; i <= n[b]; ++i) { a1[i] = step[b, i]; a2[i] = rss[b, i]; a3[i] = flt[b, i]; a4[i] = sys[b, i] }
      m[b] = median(a1, n[b])
      printf "%s: step median %.3f s, peak RSS %.0f MiB, minor faults per steady step %.0f, system s per step %.2f (%d rounds)\n",
             b, m[b], median(a2, n[b]), median(a3, n[b]), median(a4, n[b]), n[b]
    }
    if (m["old"] > 0 && m["new"] > 0) printf "new / old step time: %.3f (old takes %.2fx)\n", m["new"] / m["old"], m["old"] / m["new"]
  }' "$log"
