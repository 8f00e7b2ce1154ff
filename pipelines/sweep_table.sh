#!/usr/bin/env bash
# The sweep's results table: one row per configuration (seeds pooled), from
# the runs under OUT/runs, compared with the first configuration.
#   pipelines/sweep_table.sh OUT   -> OUT/sweep.md
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
bin=${BIN:-$here/../build/tools}
entries=()
baseline=
while IFS=$'\t' read -r name _; do
  config=${name%_seed*}
  [ -n "$baseline" ] || baseline=$config
  entries+=("$config=$out/runs/$name")
done < <("$here/grid.sh")
"$bin/study-table" --baseline "$baseline" -o "$out/sweep.md" "${entries[@]}"
cat "$out/sweep.md"
