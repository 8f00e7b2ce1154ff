#!/usr/bin/env bash
# tau-stats end to end on the fixture's runs (tau per neuron, per layer, LIF):
# the statistics against the training log's own tau columns (computed by
# LibTorch, in float32, at the same epoch), the statistics file's layout and
# histograms, --evolution against /log, and must-fail rows.
# Usage: tau_stats_e2e.sh TAU_STATS FIXTURE_FOLDER SCRATCH_FOLDER
source "$(dirname "$0")/eval_common.sh"
tau_stats=$1 fixture=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
runs=(per_neuron per_layer lif)
ckpts=()
for r in "${runs[@]}"; do ckpts+=("$fixture/runs/$r/checkpoint.h5"); done

"$tau_stats" "${ckpts[@]}" --csv -o stats.h5 >stats.csv
[ "$(wc -l <stats.csv)" = $((1 + 3 * 6)) ] || fail "stats.csv: $(wc -l <stats.csv) lines, expected 19"
# column of stats.csv: field NAME of checkpoint INDEX, layer LAYER.
field() {
  awk -F, -v c="$1" -v l="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $1 == c && $3 == l { print $(col[name]) }' stats.csv
}
layers=(conv.2 conv.6 conv.10 conv.14 fc.3 fc.6)
for c in 0 1 2; do
  for i in "${!layers[@]}"; do
    l=${layers[$i]}
    logged_mean=$(values "${ckpts[$c]}" "/log/tau_mean_$i" | tail -1)
    logged_std=$(values "${ckpts[$c]}" "/log/tau_std_$i" | tail -1)
    near "$(field $c "$l" mean)" "$logged_mean" 1e-5 ||
      fail "${runs[$c]} $l: mean $(field $c "$l" mean), the log says $logged_mean"
    near "$(field $c "$l" std)" "$logged_std" 1e-5 ||
      fail "${runs[$c]} $l: std $(field $c "$l" std), the log says $logged_std"
  done
done
[ "$(field 0 conv.2 count)" = $((8 * 128 * 128)) ] || fail "per-neuron conv.2 count $(field 0 conv.2 count)"
[ "$(field 0 fc.6 kind)" = per_neuron ] || fail "per-neuron kind"
[ "$(field 1 fc.3 count)" = 1 ] && [ "$(field 1 fc.3 kind)" = per_layer ] || fail "per-layer fc.3: one tau"
[ "$(field 2 conv.6 kind)" = fixed ] && [ "$(field 2 conv.6 mean)" = 2 ] && [ "$(field 2 conv.6 key)" = "" ] ||
  fail "LIF conv.6: fixed tau 2 without a key"
awk -v a="$(field 0 conv.2 min)" -v b="$(field 0 conv.2 q05)" \
  -v c="$(field 0 conv.2 median)" -v d="$(field 0 conv.2 q95)" -v e="$(field 0 conv.2 max)" \
  'BEGIN { exit !(a < b && b < c && c < d && d < e) }' || fail "per-neuron conv.2 quantiles out of order"

# The file: a group per checkpoint, a group per layer, histograms that count every tau.
layout=$(h5ls -r stats.h5)
for group in /0/layer_0 /0/layer_5 /1/layer_5 /2/layer_5 /0/layer_0/histogram /0/layer_0/bin_edges; do
  expect_in "$layout" "$group " "h5ls stats.h5"
done
[ "$(attr stats.h5 /format)" = plif-tau-stats ] || fail "format attribute"
[ "$(attr stats.h5 /1/checkpoint)" = "${ckpts[1]}" ] || fail "/1 checkpoint attribute"
[ "$(attr stats.h5 /0/layer_4/key)" = fc.3.w ] || fail "/0/layer_4 key"
for c in 0 1; do
  sum=$(values stats.h5 "/$c/layer_0/histogram" | awk '{ s += $1 } END { print s }')
  [ "$sum" = "$(field $c conv.2 count)" ] || fail "/$c/layer_0 histogram holds $sum taus"
  [ "$(values stats.h5 "/$c/layer_0/bin_edges" | wc -l)" = 21 ] || fail "20 bins by default"
done

# --evolution: the /log columns, one line per checkpoint, epoch and layer.
"$tau_stats" "${ckpts[@]}" --evolution --csv >evolution.csv
[ "$(wc -l <evolution.csv)" = $((1 + 3 * 2 * 6)) ] || fail "evolution.csv: $(wc -l <evolution.csv) lines"
line=$(awk -F, '$1 == 0 && $3 == 0 && $4 == "fc.3"' evolution.csv)
near "$(cut -d, -f5 <<<"$line")" "$(values "${ckpts[0]}" /log/tau_mean_4 | head -1)" 1e-8 ||
  fail "evolution: epoch 0 fc.3 mean in '$line'"
table=$("$tau_stats" "${ckpts[@]}")
expect_in "$table" "[2] ${ckpts[2]}: LIF, fixed tau (init_tau)" "table"
expect_in "$table" "[1] ${ckpts[1]}: PLIF, one tau per layer" "table"
"$tau_stats" "${ckpts[0]}" --histogram_csv --bins 7 >hist.csv
[ "$(wc -l <hist.csv)" = $((1 + 6 * 7)) ] || fail "hist.csv: $(wc -l <hist.csv) lines"

must_fail 1 "'$fixture/frames.h5': is a plif-frames file, expected plif-checkpoint" "$tau_stats" "${ckpts[0]}" "$fixture/frames.h5"
must_fail 1 "missing.h5" "$tau_stats" missing.h5 -o out.h5
must_fail 2 "--bins must be >= 1, got 0" "$tau_stats" "${ckpts[0]}" --bins 0 -o out.h5
must_fail 2 "expected at least one CHECKPOINT" "$tau_stats"
[ ! -e out.h5 ] || fail "output left behind"
! ls | grep -q 'tmp-' || fail "temporary file left behind"
echo "tau_stats_e2e: ok"
