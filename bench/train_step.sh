#!/usr/bin/env bash
# Training step, fused vs plain, each in its own process (peak memory is per
# process), with the caching allocator plif-train uses and with glibc's
# default. Prints the reports and the ratios, and where the fused step's time
# goes (forward, backward, optimizer; convolutions, batch norm, neurons,
# pooling; with plif-train's allocator). Defaults: channels 32, T 20, batch
# 16, 128x128, 5 layers. Extra arguments go to every run.
#   bench/train_step.sh [--steps 3] [--channels 32] ...
set -euo pipefail
bin=${BENCH_BIN:-$(dirname "$0")/../build/bench/bench_train_step}
get() { sed -n "s/^$2 //p" <<<"$1"; }
for allocator in caching default; do
  phases=()
  [ "$allocator" != caching ] || phases=(--phases)
  fused=$("$bin" --mode fused --neurons --allocator "$allocator" "${phases[@]}" "$@")
  plain=$("$bin" --mode plain --neurons --allocator "$allocator" "$@")
  echo "$fused"; echo; echo "$plain"; echo
  awk -v fs="$(get "$fused" step_median_s)" -v ps="$(get "$plain" step_median_s)" \
      -v fm="$(get "$fused" peak_rss_mib)" -v pm="$(get "$plain" peak_rss_mib)" \
      -v fn="$(get "$fused" neuron_fwd_bwd_median_s)" -v pn="$(get "$plain" neuron_fwd_bwd_median_s)" \
      -v a="$allocator" \
      'BEGIN {
         printf "[%s allocator] step: fused %.2f s, plain %.2f s (%.2fx)\n", a, fs, ps, ps / fs
         printf "[%s allocator] neuron layers fwd+bwd: fused %.2f s, plain %.2f s (%.2fx); share of the fused step %.0f%%\n", a, fn, pn, pn / fn, 100 * fn / fs
         printf "[%s allocator] peak memory: fused %.0f MiB, plain %.0f MiB (%.0f%% lower)\n\n", a, fm, pm, 100 * (1 - fm / pm)
       }'
  [ "$allocator" = caching ] || continue
  # The fused step's split (medians of further steps, each phase timed alone).
  for phase in forward backward; do
    total=$(get "$fused" "phase_${phase}_median_s")
    printf '[split] %-9s %.2f s:' "$phase" "$total"
    for family in conv norm neuron pool; do
      printf ' %s %.2f s (%.0f%%)' "$family" "$(get "$fused" "${phase}_${family}_median_s")" \
        "$(awk -v a="$(get "$fused" "${phase}_${family}_median_s")" -v t="$total" 'BEGIN { print 100 * a / t }')"
    done
    echo
  done
  printf '[split] optimizer %.2f s\n\n' "$(get "$fused" phase_optimizer_median_s)"
done
