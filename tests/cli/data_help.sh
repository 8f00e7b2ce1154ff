#!/usr/bin/env bash
# --help of both data tools: exit 0, on stdout, every flag documented.
source "$(dirname "$0")/data_common.sh"

help=$("$a2f" --help)
for flag in "-o, --output" "-T" "--split_by" "--normalization" "--jobs" "--force" "-q, --quiet" \
  "--version" "-h, --help" "--dataset" "--orientation" "--threads" "DIR"; do
  expect_in "$help" "$flag" "aedat2frames --help"
done
help=$("$synth" --help)
for flag in "--dataset" "--users" "--lightings" "--events_per_gesture" "--samples_per_class" \
  "--events_per_sample" "--test_per_class" "--seed" "--awkward" "-q, --quiet" "--version" "OUTDIR"; do
  expect_in "$help" "$flag" "dvs-synth --help"
done
"$a2f" --version | grep -q '^aedat2frames ' || fail "aedat2frames --version"
echo "data_help: ok"
