#!/usr/bin/env bash
# The final distribution of tau per neuron layer of several runs, as
# histograms over the layer's neurons (the reference's Figure 1, right),
# computed by tau-stats from the checkpoints.
tool=tau_distribution.sh
usage_text="Usage: pipelines/figures/tau_distribution.sh -o FIGURE.png [--bins 30]
         [--checkpoint checkpoint.h5] [--bin DIR] [--size 1400x900] RUN...
Histogram of tau = 1/sigmoid(w) over the neurons of each layer, one panel per
layer, one histogram per run (the share of the layer's neurons per bin; the
runs share the bins of a layer). A run with one tau per layer, or LIF, shows
as a dashed vertical line at its tau.
RUN: a run folder of plif-train (its --checkpoint file is read, by default
the last one, checkpoint.h5) or a checkpoint file, as PATH or NAME=PATH.
--bin: the folder holding tau-stats (default: tau-stats on PATH, else the
build/tools of this repository)."
source "$(dirname "$0")/common.sh"

parse_common "$@"
bins=30
checkpoint=checkpoint.h5
bin_dir=""
set -- "${rest[@]+"${rest[@]}"}"
while [ $# -gt 0 ]; do
  case $1 in
    --bins) bins=$2 ;;
    --checkpoint) checkpoint=$2 ;;
    --bin) bin_dir=$2 ;;
    *) usage_error "unknown option $1" ;;
  esac
  shift 2
done
[[ $bins =~ ^[1-9][0-9]*$ ]] || usage_error "--bins must be a positive number, got '$bins'"

if [ -n "$bin_dir" ]; then
  tau_stats="$bin_dir/tau-stats"
elif command -v tau-stats >/dev/null; then
  tau_stats=tau-stats
else
  tau_stats="$(cd "$(dirname "$0")/../.." && pwd)/build/tools/tau-stats"
fi
[ -x "$tau_stats" ] || command -v "$tau_stats" >/dev/null || fail "tau-stats not found at '$tau_stats' (build it, or give --bin)"

files=()
for path in "${run_paths[@]}"; do
  file=$path
  [ -d "$path" ] && file="$path/$checkpoint"
  # tau-stats quotes CSV fields with commas; the awk below splits on every comma.
  [[ $file != *,* ]] || fail "a comma in '$file' is not supported"
  files+=("$file")
done
"$tau_stats" --csv "${files[@]}" >"$work/stats.csv" 2>"$work/err" || fail "$(sed 's/^tau-stats: //' "$work/err" | head -1)"
"$tau_stats" --histogram_csv --bins "$bins" "${files[@]}" >"$work/hist.csv" 2>"$work/err" ||
  fail "$(sed 's/^tau-stats: //' "$work/err" | head -1)"

# Per run and layer with one tau per neuron: the outline of the histogram as
# steps, from 0 up at the first edge to 0 down at the last.
awk -F, -v dir="$work" 'NR > 1 && $4 == "per_neuron" {
    f = dir "/run" $1 "." $3 ".dat"
    if (!(f in started)) { printf "%s 0\n", $6 > f; started[f] = 1 }
    printf "%s %s\n", $6, $9 > f
    last[f] = $7
  }
  END { for (f in last) printf "%s 0\n", last[f] > f }' "$work/hist.csv"
# Per run and layer with a single tau (per layer, or LIF): that tau.
awk -F, -v dir="$work" 'NR > 1 && $5 != "per_neuron" { print $7 > (dir "/run" $1 "." $3 ".single") }' "$work/stats.csv"
mapfile -t layers < <(awk -F, 'NR > 1 { print $3 }' "$work/stats.csv" | sort -u -t. -k1,1 -k2,2n)

{
  terminal_line 1400 900
  echo "set multiplot layout $(grid ${#layers[@]}) title 'Final tau per neuron layer: share of the layer''s neurons per bin (dashed: one tau for the whole layer)'"
  echo "set xlabel 'tau (time steps)'"
  echo "set ylabel 'share of neurons'"
  echo "set grid"
  echo "set key top left opaque box"
  # Headroom above the tallest bin, so the key rarely hides a histogram.
  echo "set yrange [0:*]"
  echo "set offsets 0, 0, graph 0.3, 0"
  echo "set style fill transparent solid 0.25 noborder"
  first=1
  for name in "${layers[@]}"; do
    echo "set title $(gp_string "$name")"
    echo "unset arrow"
    plots=()
    for i in "${!run_paths[@]}"; do
      c=$(colour "$i")
      title="notitle"
      [ $first = 1 ] && title="title $(gp_string "${run_names[$i]}")"
      if [ -f "$work/run$i.$name.dat" ]; then
        plots+=("$(gp_string "$work/run$i.$name.dat") using 1:2 with fillsteps lc rgb '$c' notitle")
        plots+=("$(gp_string "$work/run$i.$name.dat") using 1:2 with steps lw 2 lc rgb '$c' $title")
      elif [ -f "$work/run$i.$name.single" ]; then
        echo "set arrow from $(cat "$work/run$i.$name.single"), graph 0 to $(cat "$work/run$i.$name.single"), graph 1 nohead lw 2 dt 2 lc rgb '$c'"
        plots+=("NaN with lines lw 2 dt 2 lc rgb '$c' $title")
      fi
    done
    (IFS=,; echo "plot ${plots[*]}")
    [ $first = 1 ] && echo "unset key"  # one legend, in the first panel
    first=0
  done
  echo "unset multiplot"
} >"$work/plot.gp"
draw "$work/plot.gp"
