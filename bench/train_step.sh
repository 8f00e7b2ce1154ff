#!/usr/bin/env bash
# Training step, fused vs plain, each in its own process (peak memory is per
# process). Prints both reports and the ratios. Defaults: channels 32, T 20,
# batch 16, 128x128, 5 layers. Extra arguments go to both runs.
#   bench/train_step.sh [--steps 5] [--channels 32] ...
set -euo pipefail
bin=${BENCH_BIN:-$(dirname "$0")/../build/bench/bench_train_step}
fused=$("$bin" --mode fused --neurons "$@")
plain=$("$bin" --mode plain --neurons "$@")
echo "$fused"; echo; echo "$plain"; echo
get() { sed -n "s/^$2 //p" <<<"$1"; }
awk -v fs="$(get "$fused" step_median_s)" -v ps="$(get "$plain" step_median_s)" \
    -v fm="$(get "$fused" peak_rss_mib)" -v pm="$(get "$plain" peak_rss_mib)" \
    -v fn="$(get "$fused" neuron_fwd_bwd_median_s)" -v pn="$(get "$plain" neuron_fwd_bwd_median_s)" \
    'BEGIN {
       printf "step speedup (plain/fused)        %.2fx\n", ps / fs
       printf "neuron fwd+bwd speedup            %.2fx\n", pn / fn
       printf "peak memory fused vs plain        %.0f MiB vs %.0f MiB (%.0f%% lower)\n", fm, pm, 100 * (1 - fm / pm)
     }'
