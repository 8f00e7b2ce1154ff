#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) in build-fuzz/,
# makes a seed corpus from dvs-synth output, runs each target for a set time
# and prints what each run did. The numbers in docs/hardening.md come from
#   bench/fuzz.sh 300
#
#   bench/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET...]
#
# Targets: aedat labels trials frames_file checkpoint_taus eval_file nmnist cifar10dvs
# asldvs cifar_pickle nir_graph (all by default): one per file decoder and stage file.
# Environment: FUZZ_JOBS (targets run side by side, default 1), FUZZ_BUILD_JOBS
# (compile jobs, default 2).
#
# Corpora accumulate in build-fuzz/corpus/<target>/ from run to run; inputs
# that crash (or time out, or run out of memory) are kept in
# build-fuzz/crashes/<target>/, libFuzzer's log in build-fuzz/logs/. Exits 1
# when any target crashed, 2 on bad arguments.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
all_targets=(aedat labels trials frames_file checkpoint_taus eval_file nmnist cifar10dvs asldvs cifar_pickle nir_graph)

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [[ $seconds -lt 1 ]]; then
  echo "fuzz.sh: SECONDS_PER_TARGET must be a positive whole number, not '$seconds'" >&2
  exit 2
fi
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $t "* ]]; then
    echo "fuzz.sh: unknown target '$t' (one of: ${all_targets[*]})" >&2
    exit 2
  fi
done

# --- build ------------------------------------------------------------------
echo "fuzz.sh: building the fuzz targets in $build" >&2
(cd "$root" && cmake --preset fuzz > "$build.configure.log" 2>&1) || {
  cat "$build.configure.log" >&2
  exit 1
}
mv "$build.configure.log" "$build/configure.log"
cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-2}" --target plifkit_fuzz dvs-synth aedat2frames > "$build/build.log" 2>&1 || {
  tail -40 "$build/build.log" >&2
  exit 1
}

# --- seed corpus --------------------------------------------------------------
# Small synthetic recordings, plain and with the awkward parts of real files
# (spare capacity, special and frame packets, times past 2^31, invalid-marked
# events, CRLF lists, overlapping windows); only what is under 64 KiB.
synth=$(mktemp -d "${TMPDIR:-/tmp}/plifkit_fuzz_seed.XXXXXX")
trap 'rm -rf "$synth"' EXIT
"$build/tools/dvs-synth" "$synth/plain" --users 2 --lightings 2 --events_per_gesture 12 --seed 1 -q > /dev/null
"$build/tools/dvs-synth" "$synth/awkward" --users 2 --lightings 2 --events_per_gesture 12 --seed 2 --awkward -q > /dev/null
for t in "${all_targets[@]}"; do mkdir -p "$build/corpus/$t" "$build/crashes/$t" "$build/logs"; done
seed() {  # seed TARGET FILE...: copies small files under content-derived names
  local target=$1 f
  shift
  for f in "$@"; do
    [[ $(stat -c %s "$f") -le 65536 ]] || continue
    cp "$f" "$build/corpus/$target/seed-$(sha1sum < "$f" | cut -c1-16)"
  done
}
seed aedat "$synth"/*/*.aedat
seed labels "$synth"/*/*_labels.csv
seed trials "$synth"/*/trials_to_*.txt
# Every dataset of the registry stored one file per sample seeds the target
# of its decoder with its synthetic files.
while IFS=$'\t' read -r d _ _ storage decoder _; do
  [[ $storage == file_per_sample ]] || continue
  case $decoder in
    nmnist_bin) target=nmnist ;;
    aedat20) target=cifar10dvs ;;
    asl_mat) target=asldvs ;;
    *) echo "fuzz.sh: no fuzz target for decoder '$decoder' ($d)" >&2; exit 1 ;;
  esac
  "$build/tools/dvs-synth" "$synth/$d" --dataset "$d" --samples_per_class 1 --events_per_sample 30 --awkward -q > /dev/null
  seed "$target" $(find "$synth/$d" -type f)
done < <("$build/tools/aedat2frames" --list-datasets --format tsv | tail -n +2)
# Pickled CIFAR-10 batches of two images each, and the fixtures Python made.
"$build/tools/dvs-synth" "$synth/cifar" --dataset CIFAR10 --samples_per_class 1 --test_per_class 1 -q > /dev/null
seed cifar_pickle "$synth"/cifar/cifar-10-batches-py/* "$root"/tests/data/cifar_pickle/py*_batch
# The HDF5 targets read their input as a list of mutations of a valid file
# built in memory; an empty input is the unmutated file.
for t in frames_file checkpoint_taus eval_file nir_graph; do : > "$build/corpus/$t/seed-empty"; done

# --- runs ---------------------------------------------------------------------
findings() {  # inputs libFuzzer kept for a crash, timeout, out-of-memory or leak
  find "$build/crashes/$1" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
    -o -name 'leak-*' \) | wc -l
}
run_one() {
  local t=$1 log=$build/logs/$1.log
  local before start
  before=$(findings "$t")
  start=$(date +%s)
  # -timeout: an input slower than this is a finding (a reader stuck on a
  # huge declared size); -rss_limit_mb / -malloc_limit_mb: so is one that
  # wants more memory than a real file of that size could need. For the HDF5
  # targets an allocation of up to 4 GiB is let through: libhdf5 1.10
  # allocates the length a variable-length string element claims (a 32-bit
  # field) before it finds the string damaged, which the readers cannot
  # prevent (see read_strings in lib/plifkit/h5/h5.cpp); ASan then touches
  # the whole buffer, so the memory cap is raised to match.
  local malloc_limit=1024 rss_limit=2048
  case $t in frames_file | checkpoint_taus | eval_file) malloc_limit=4352 rss_limit=6144 ;; esac
  (cd "$build" && "$build/fuzz/fuzz_$t" "$build/corpus/$t" \
      -max_total_time="$seconds" -timeout=25 -rss_limit_mb=$rss_limit -malloc_limit_mb=$malloc_limit \
      -print_final_stats=1 -artifact_prefix="$build/crashes/$t/" > "$log" 2>&1) || true
  local after
  after=$(findings "$t")
  echo $(( after - before )) > "$build/logs/$t.crashes"
  echo $(( $(date +%s) - start )) > "$build/logs/$t.seconds"
}

echo "fuzz.sh: running ${targets[*]} for ${seconds}s each (${FUZZ_JOBS:-1} at a time)" >&2
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$(( running + 1 ))
  if [[ $running -ge ${FUZZ_JOBS:-1} ]]; then
    wait -n
    running=$(( running - 1 ))
  fi
done
wait

# --- report -------------------------------------------------------------------
status=0
printf '%-16s %10s %12s %8s %8s %8s %8s  %s\n' target seconds execs execs/s cov ft crashes \
  "crash inputs"
for t in "${targets[@]}"; do
  log=$build/logs/$t.log
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  crashes=$(cat "$build/logs/$t.crashes")
  ran=$(cat "$build/logs/$t.seconds")
  where=-
  if [[ $crashes -gt 0 ]]; then
    status=1
    where=build-fuzz/crashes/$t/
  fi
  printf '%-16s %10s %12s %8s %8s %8s %8s  %s\n' "$t" "$ran" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$crashes" "$where"
done
if [[ $status -ne 0 ]]; then
  echo "fuzz.sh: crashes found; see build-fuzz/logs/<target>.log and rerun one with" >&2
  echo "  build-fuzz/fuzz/fuzz_<target> build-fuzz/crashes/<target>/<file>" >&2
fi
exit $status
